package io.keel.model;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a replica pool retries a failed attempt. Only retryable failures are retried (connection failures, timeouts,
 * 429, 5xx); a bad request or an authentication failure is returned at once.
 *
 * @param maxAttempts   attempts per request, the first included (1 = no retries)
 * @param backoff       base delay; attempt {@code n} waits a random time in {@code [0, min(maxBackoff, backoff·2ⁿ⁻¹)]}
 *                      ("full jitter"), so retrying clients spread out instead of hitting a recovering server together
 * @param maxBackoff    cap of the exponential delay
 * @param maxRetryAfter longest {@code Retry-After} the pool is willing to wait; a longer one fails the request at once
 *                      (with the rate-limit error) so a fallback model can answer instead
 */
public record RetryPolicy(int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2),
            Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    }

    /** The jittered delay before attempt {@code next} (2 for the first retry). */
    public Duration delayBefore(int next, RandomGenerator random) {
        long base = backoff.toNanos();
        long cap = Math.min(maxBackoff.toNanos(), base << Math.min(20, Math.max(0, next - 2)));
        return cap <= 0 ? Duration.ZERO : Duration.ofNanos(random.nextLong(cap + 1));
    }
}
