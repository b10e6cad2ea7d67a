package io.keel.core.error;

/**
 * Stable, machine-readable error codes. Each code carries the HTTP status the server answers with and
 * whether a client may retry the same request unchanged.
 */
public enum ErrorCode {
    INVALID_REQUEST(400, false),
    UNAUTHORIZED(401, false),
    FORBIDDEN(403, false),
    NOT_FOUND(404, false),
    METHOD_NOT_ALLOWED(405, false),
    CONFLICT(409, false),
    PAYLOAD_TOO_LARGE(413, false),
    UNSUPPORTED_MEDIA_TYPE(415, false),
    UNPROCESSABLE(422, false),
    MODEL_MISMATCH(409, false),
    UNSUPPORTED_CAPABILITY(422, false),
    RATE_LIMITED(429, true),
    BUDGET_EXCEEDED(429, false),
    INTERNAL(500, false),
    UPSTREAM_ERROR(502, true),
    UNAVAILABLE(503, true),
    /** The server's storage is full (e.g. the data directory's disk); retry once space was freed. */
    INSUFFICIENT_STORAGE(507, true),
    TIMEOUT(504, true);

    private final int httpStatus;
    private final boolean retryable;

    ErrorCode(int httpStatus, boolean retryable) {
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The lower-case wire name, e.g. {@code invalid_request}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
