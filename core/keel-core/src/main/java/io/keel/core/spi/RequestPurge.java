package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which request-log records to erase: those of one end user (optionally within one tenant), those older than a
 * time, or both at once. A purge that names neither a user nor a time is refused: it would erase everything.
 *
 * @param tenant only this tenant's records, or null for every tenant
 * @param user   only this end user's records, or null
 * @param before only records older than this, or null
 */
public record RequestPurge(String tenant, String user, Instant before) {
    public RequestPurge {
        if (user == null && before == null) {
            throw new KeelException(ErrorCode.INVALID_REQUEST, "a purge needs a user (--user) or a cut-off time (--before), or both");
        }
        if (user != null && user.isBlank()) throw new KeelException(ErrorCode.INVALID_REQUEST, "the user to purge must not be blank");
    }

    /** Everything older than {@code cutoff}, for retention. */
    public static RequestPurge olderThan(Instant cutoff) {
        return new RequestPurge(null, null, cutoff);
    }

    /** The filter as audit details: only the fields that were set. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (tenant != null) out.put("tenant", tenant);
        if (user != null) out.put("user", user);
        if (before != null) out.put("before", before.toString());
        return out;
    }
}
