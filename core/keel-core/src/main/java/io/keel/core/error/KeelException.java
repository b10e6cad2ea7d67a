package io.keel.core.error;

import java.util.Objects;

/**
 * Root of every error Keel raises on purpose. The message is written for the person who has to fix the problem:
 * it says what was wrong and what to do about it. The server turns it into {@code {"error":{"code","message"}}}.
 */
public class KeelException extends RuntimeException {
    private final ErrorCode code;

    public KeelException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public KeelException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    /** How long the caller should wait before retrying (sent as {@code Retry-After}), or null when it does not apply. */
    public java.time.Duration waitBeforeRetry() {
        return null;
    }

    public boolean retryable() {
        return code.retryable();
    }

    public static KeelException invalid(String message) {
        return new KeelException(ErrorCode.INVALID_REQUEST, message);
    }

    public static KeelException notFound(String message) {
        return new KeelException(ErrorCode.NOT_FOUND, message);
    }

    public static KeelException unavailable(String message) {
        return new KeelException(ErrorCode.UNAVAILABLE, message);
    }
}
