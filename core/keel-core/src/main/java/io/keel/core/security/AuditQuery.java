package io.keel.core.security;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Instant;

/**
 * Which audit entries to list, newest first. Null fields do not filter; {@code from} is inclusive, {@code to}
 * exclusive. {@code beforeSeq} pages backwards: entries with a smaller position.
 *
 * @param actorTenant the actor's tenant
 * @param actorId     the actor's user or key id
 */
public record AuditQuery(Instant from, Instant to, String actorTenant, String actorId, String action, Long beforeSeq, int limit) {
    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 50;

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'limit' must be between 1 and " + MAX_LIMIT + "; got " + limit);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (beforeSeq != null && beforeSeq < 1) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "'before' must be an entry position of 1 or more; got " + beforeSeq);
        }
    }

    /** The newest {@value #DEFAULT_LIMIT} entries. */
    public static AuditQuery latest() {
        return new AuditQuery(null, null, null, null, null, null, DEFAULT_LIMIT);
    }
}
