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
     * Limits carried by a credential; zero and empty mean "not limited by the credential".
     *
     * @param requestsPerMinute  requests per minute (a fixed one-minute window, shared by every instance on
     *                           PostgreSQL); 0 means the configured default
     * @param tokensPerMinute    model tokens (prompt + completion, or embedding input) per minute; a request is
     *                           admitted while the minute's count is below the limit and its tokens are counted when
     *                           it ends; 0 for none
     * @param maxParallel        requests in flight at once on one instance; 0 for none
     * @param budget             the most the credential may spend per period, or null for none
     * @param allowedModels      the models its requests may be answered by (chat, RAG generation, embeddings); empty
     *                           for any
     * @param allowedCollections the collections it may search, push to and delete from; empty for any
     */
    public record Limits(int requestsPerMinute, int tokensPerMinute, int maxParallel, KeyBudget budget,
                         Set<String> allowedModels, Set<String> allowedCollections) {
        public static final Limits NONE = new Limits(0);

        public Limits {
            if (requestsPerMinute < 0) throw new IllegalArgumentException("requestsPerMinute must be >= 0");
            if (tokensPerMinute < 0) throw new IllegalArgumentException("tokensPerMinute must be >= 0");
            if (maxParallel < 0) throw new IllegalArgumentException("maxParallel must be >= 0");
            allowedModels = Set.copyOf(allowedModels == null ? Set.of() : allowedModels);
            allowedCollections = Set.copyOf(allowedCollections == null ? Set.of() : allowedCollections);
        }

        /** A request rate and nothing else. */
        public Limits(int requestsPerMinute) {
            this(requestsPerMinute, 0, 0, null, Set.of(), Set.of());
        }

        /** Whether {@code model} is one this credential's requests may be answered by. */
        public boolean allowsModel(String model) {
            return allowedModels.isEmpty() || allowedModels.contains(model);
        }

        /** Whether this credential may read and write {@code collection}. */
        public boolean allowsCollection(String collection) {
            return allowedCollections.isEmpty() || allowedCollections.contains(collection);
        }
    }

    /**
     * A credential's own spending limit.
     *
     * @param period   {@code DAY} or {@code MONTH} (UTC)
     * @param limitUsd the most spent per period, in US dollars
     */
    public record KeyBudget(io.keel.core.budget.Budget.Period period, java.math.BigDecimal limitUsd) {
        public KeyBudget {
            Objects.requireNonNull(period, "period");
            if (limitUsd == null || limitUsd.signum() < 0) throw new IllegalArgumentException("a budget limit must be >= 0");
        }
    }
}
