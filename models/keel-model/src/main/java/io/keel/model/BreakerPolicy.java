package io.keel.model;

import java.time.Duration;
import java.util.Objects;

/**
 * When a replica is taken out of rotation. After {@code failures} consecutive retryable failures (5xx, timeouts,
 * connection errors; not 4xx, which are the caller's fault) the replica's breaker opens and it gets no traffic for
 * {@code openFor}; then one trial request is let through (half-open): success closes the breaker, failure opens it
 * again. With active health checks an open replica is probed and closed as soon as a probe succeeds.
 */
public record BreakerPolicy(int failures, Duration openFor) {
    public static final BreakerPolicy DEFAULT = new BreakerPolicy(3, Duration.ofSeconds(30));

    public BreakerPolicy {
        if (failures < 1) throw new IllegalArgumentException("failures must be >= 1");
        Objects.requireNonNull(openFor, "openFor");
    }
}
