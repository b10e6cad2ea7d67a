package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Instant;

/**
 * Which request-log records to list. Null fields do not filter. {@code from} is inclusive, {@code to} exclusive.
 * {@code before} pages backwards: records strictly older than that record id's time (or same time and smaller id).
 *
 * @param model        the model that answered (lineage generator)
 * @param modelVersion the registry version of that model
 * @param promptId     the prompt id
 * @param promptVersion the prompt version
 */
public record RequestFilter(String tenant, String user, String app, String feature, String route, String model,
                            String modelVersion, String promptId, String promptVersion, String status,
                            Instant from, Instant to, String before, int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 50;

    public RequestFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT + "; got " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'from' (" + from + ") must be before 'to' (" + to + ")");
        }
    }

    public static RequestFilter all() {
        return new RequestFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, DEFAULT_LIMIT);
    }
}
