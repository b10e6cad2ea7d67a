package io.keel.core.security;

import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller: the credential's id, the tenant it belongs to (never chosen by a request header), its
 * roles, the ACL groups it reads documents as, its scopes and its limits.
 *
 * @param id      the public credential id ({@code keel_live_ab12...} for an API key, the token subject for OIDC)
 * @param tenant  the tenant every read and write of this caller is scoped to
 * @param user    the end user the credential stands for, or null
 * @param roles   at least one role
 * @param groups  ACL principals the caller reads documents as; a document with an empty ACL is readable by everyone
 *                in its tenant
 * @param scopes  extra grants, e.g. {@value #ACT_AS}
 * @param limits  per-credential limits
 */
public record Principal(String id, String tenant, String user, Set<Role> roles, Set<String> groups, Set<String> scopes,
                        Limits limits) {
    /** Scope allowing a trusted gateway to attribute requests to users and apps with {@code X-Keel-User}/{@code X-Keel-App}. */
    public static final String ACT_AS = "act_as";

    public Principal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) throw new IllegalArgumentException("a principal needs at least one role");
        groups = Set.copyOf(groups == null ? Set.of() : groups);
        scopes = Set.copyOf(scopes == null ? Set.of() : scopes);
        limits = limits == null ? Limits.NONE : limits;
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether any of {@code allowed} is one of this caller's roles. */
    public boolean hasAny(Set<Role> allowed) {
        for (Role r : roles) if (allowed.contains(r)) return true;
        return false;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /**
     * Limits carried by a credential.
     *
     * @param requestsPerMinute sustained request rate (a token bucket holding one minute's worth); 0 means the
     *                          configured default
     */
    public record Limits(int requestsPerMinute) {
        public static final Limits NONE = new Limits(0);

        public Limits {
            if (requestsPerMinute < 0) throw new IllegalArgumentException("requestsPerMinute must be >= 0");
        }
    }
}
