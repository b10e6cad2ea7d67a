package io.keel.core.spi;

import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's rating of one answered request: a score, a thumbs up or down, or both, with an optional comment.
 *
 * @param requestId  the rated request
 * @param experiment the request's experiment (copied from its record), or null
 * @param variant    the request's variant, or null
 * @param rater      who gave the rating (the calling key's tenant, user, app)
 * @param score      a number from 0 to 1, or null
 * @param thumbs     true for up, false for down, or null
 * @param comment    free text, already redacted, or null
 */
public record Feedback(String requestId, String experiment, String variant, Caller rater, Double score, Boolean thumbs,
                       String comment, Instant time) {
    public Feedback {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(time, "time");
        rater = Objects.requireNonNullElse(rater, Caller.ANONYMOUS);
        if (score == null && thumbs == null) {
            throw KeelException.invalid("feedback needs a 'score' (0 to 1) or 'thumbs' ('up' or 'down')");
        }
        if (score != null && !(score >= 0 && score <= 1)) {
            throw KeelException.invalid("'score' must be a number from 0 to 1; got " + score);
        }
    }
}
