package io.keel.core.chat;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * A model provider failed or refused a request. {@link #code()} classifies it (and so decides whether retrying can
 * help); {@link #httpStatus()} is the provider's own status, 0 when no HTTP answer arrived.
 */
public class UpstreamException extends KeelException {
    private final int httpStatus;
    private final Duration retryAfter;

    public UpstreamException(ErrorCode code, String message, int httpStatus, Duration retryAfter, Throwable cause) {
        super(code, message, cause);
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
    }

    /**
     * Classifies an HTTP error answer: 429 is a rate limit, 408 and 504 time-outs, 503 unavailable, other 5xx upstream
     * errors (all retryable); 401 and 403 are authentication failures, 404 a missing model or route, and the remaining
     * 4xx bad requests (none retryable).
     *
     * @param retryAfterHeader the {@code Retry-After} header value (seconds or an HTTP date), or null
     */
    public static UpstreamException ofStatus(String upstream, int status, String body, String retryAfterHeader) {
        ErrorCode code = switch (status) {
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 408, 504 -> ErrorCode.TIMEOUT;
            case 429 -> ErrorCode.RATE_LIMITED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status >= 500 ? ErrorCode.UPSTREAM_ERROR : ErrorCode.INVALID_REQUEST;
        };
        String detail = body == null || body.isBlank() ? "" : ": " + abbreviate(body.strip(), 300);
        return new UpstreamException(code, upstream + " answered HTTP " + status + detail, status,
                parseRetryAfter(retryAfterHeader).orElse(null), null);
    }

    /** The upstream could not be reached or the connection broke; retryable. */
    public static UpstreamException unreachable(String upstream, Throwable cause) {
        return new UpstreamException(ErrorCode.UNAVAILABLE, upstream + " is unreachable: " + describe(cause), 0, null, cause);
    }

    /** No answer within the allowed time; retryable. */
    public static UpstreamException timeout(String upstream, Duration after, Throwable cause) {
        return new UpstreamException(ErrorCode.TIMEOUT, upstream + " did not answer within " + after.toMillis() + " ms",
                0, null, cause);
    }

    /** The upstream answered something that is not its documented wire format; retryable. */
    public static UpstreamException malformed(String upstream, String what, Throwable cause) {
        return new UpstreamException(ErrorCode.UPSTREAM_ERROR, upstream + " sent a malformed response: " + what, 0,
                null, cause);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** How long the upstream asked callers to wait before retrying, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Parses a {@code Retry-After} value given in seconds (possibly fractional) or as an HTTP date. */
    public static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) return Optional.empty();
        String v = value.strip();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String describe(Throwable t) {
        if (t == null) return "unknown cause";
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
