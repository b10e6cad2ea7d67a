package io.keel.core.guard;

import io.keel.core.answer.Caller;

import java.util.Map;
import java.util.Objects;

/**
 * Which {@link Guard} judges a request: the caller's tenant's policy when it has one ({@code tenants.NAME.guard_policy}),
 * else the server's. The guard stages ask it once per request.
 */
@FunctionalInterface
public interface GuardSelector {
    Guard select(Caller caller);

    /** Always {@code guard}. */
    static GuardSelector of(Guard guard) {
        Objects.requireNonNull(guard, "guard");
        return caller -> guard;
    }

    /** {@code byTenant}'s guard for the caller's tenant, else {@code fallback}. */
    static GuardSelector byTenant(Map<String, ? extends Guard> byTenant, Guard fallback) {
        Map<String, Guard> copy = Map.copyOf(byTenant);
        Objects.requireNonNull(fallback, "fallback");
        if (copy.isEmpty()) return of(fallback);
        return caller -> {
            Guard g = caller == null ? null : copy.get(caller.tenant());
            return g != null ? g : fallback;
        };
    }
}
