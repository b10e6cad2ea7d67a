package io.keel.routing;

import io.keel.routing.signal.ConfidenceSignal;

import java.util.Objects;

/**
 * A cost-aware cascade: the cheap model answers first; when the confidence signal scores its answer below the
 * threshold, the strong model answers instead (and both calls are paid for).
 *
 * @param cheap     the model tried first
 * @param strong    the model escalated to
 * @param signal    scores the cheap answer in [0, 1]
 * @param threshold escalate when the score is below this
 */
public record Cascade(RouteTarget cheap, RouteTarget strong, ConfidenceSignal signal, double threshold) {
    public Cascade {
        Objects.requireNonNull(cheap, "cheap");
        Objects.requireNonNull(strong, "strong");
        Objects.requireNonNull(signal, "signal");
        if (cheap.kind() != RouteTarget.Kind.MODEL || strong.kind() != RouteTarget.Kind.MODEL) {
            throw new IllegalArgumentException("a cascade runs between two models");
        }
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("threshold must be in [0, 1]");
    }
}
