package io.keel.core.security;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A stored API key: everything but its secret, of which only a salted SHA-256 is kept.
 *
 * @param id                public prefix id, {@code keel_live_} and 12 hex digits; shown in lists and logs
 * @param name              a label for people, or null
 * @param tenant            the tenant the key's requests belong to
 * @param role              what the key may do
 * @param scopes            extra grants ({@link Principal#ACT_AS})
 * @param groups            ACL groups the key reads documents as
 * @param limits            rate, token, parallelism, budget, model and collection limits
 * @param salt              hex salt of the secret's hash
 * @param hash              hex SHA-256 of salt and secret
 * @param created           creation time
 * @param expires           end of validity, or null for none (a rotated key gets its grace period's end)
 * @param revoked           revocation time, or null
 * @param lastUsed          last authenticated use, written in batches (may lag by the flush interval), or null
 */
public record ApiKey(String id, String name, String tenant, Role role, Set<String> scopes, Set<String> groups,
                     Principal.Limits limits, String salt, String hash, Instant created, Instant expires, Instant revoked,
                     Instant lastUsed) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(role, "role");
        scopes = Set.copyOf(scopes == null ? Set.of() : scopes);
        groups = Set.copyOf(groups == null ? Set.of() : groups);
        limits = limits == null ? Principal.Limits.NONE : limits;
        Objects.requireNonNull(created, "created");
    }

    /** The key's own request rate; 0 means the configured default. */
    public int requestsPerMinute() {
        return limits.requestsPerMinute();
    }

    /** Whether the key authenticates at {@code now}: not revoked and not expired. */
    public boolean activeAt(Instant now) {
        return revoked == null && (expires == null || now.isBefore(expires));
    }

    /** The caller this key stands for. */
    public Principal principal() {
        return new Principal(id, tenant, null, Set.of(role), groups, scopes, limits);
    }

    /** Sorted for stable output. */
    public static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
