package io.keel.core.security;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;

/** A credential's request, token or parallelism limit has no room now: 429 {@code rate_limited} with {@code Retry-After}. */
public final class LimitExceededException extends KeelException {
    private final long retryAfterSeconds;

    public LimitExceededException(String message, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    @Override
    public Duration waitBeforeRetry() {
        return Duration.ofSeconds(retryAfterSeconds);
    }
}
