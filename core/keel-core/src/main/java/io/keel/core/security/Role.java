package io.keel.core.security;

import io.keel.core.error.KeelException;

import java.util.Locale;

/**
 * What a credential may do. Roles are not ranked: the route table in docs/security.md names, for every route, each
 * role that may call it.
 */
public enum Role {
    /** Keys, registry promotion, policies, prompt labels; may read every tenant's records. */
    ADMIN,
    /** Registers and tests models, replays, reads the request log of its own tenant. */
    DEVELOPER,
    /** An application: query, retrieve, chat, embeddings, push documents. */
    APP,
    /** Read-only: usage, registry, evaluations. */
    VIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code s} ({@code admin}, {@code developer}, {@code app}, {@code viewer}); anything else is a 400. */
    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) if (r.wireName().equals(s.strip().toLowerCase(Locale.ROOT))) return r;
        }
        throw KeelException.invalid("role must be one of admin, developer, app, viewer; got '" + s + "'");
    }
}
