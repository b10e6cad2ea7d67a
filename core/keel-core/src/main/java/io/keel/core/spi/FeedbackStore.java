package io.keel.core.spi;

import java.util.List;

/** Stored user feedback on requests, read back per experiment as an outcome. */
public interface FeedbackStore {
    void add(Feedback feedback);

    /** Every rating of a request of {@code experiment}, oldest first. */
    List<Feedback> forExperiment(String experiment);
}
