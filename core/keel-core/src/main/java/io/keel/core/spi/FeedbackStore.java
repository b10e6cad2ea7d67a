package io.keel.core.spi;

import java.util.List;

/** Stored user feedback on requests, read back per experiment as an outcome. */
public interface FeedbackStore {
    void add(Feedback feedback);

    /** Every rating of a request of {@code experiment}, oldest first. */
    List<Feedback> forExperiment(String experiment);

    /**
     * Per variant, the sums of the scores ({@code feedback_score}) and thumbs ({@code thumbs_up_rate}, 1 up, 0 down) of
     * what {@link #forExperiment} would return, kept as ratings are written.
     */
    List<OutcomeSums> outcomeSums(String experiment);
}
