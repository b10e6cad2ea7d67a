package io.keel.core.security;

import io.keel.core.answer.Caller;

import java.util.Objects;

/**
 * Who did something the audit log records: the tenant and the user or key id acting for it. Until credentials exist
 * this is the request's {@link Caller}; the command line acts as the operating-system user of tenant
 * {@value Caller#DEFAULT_TENANT}.
 *
 * @param tenant never null
 * @param id     the user or key id; {@code anonymous} when the request named none
 */
public record AuditActor(String tenant, String id) {
    public static final String ANONYMOUS = "anonymous";

    public AuditActor {
        tenant = tenant == null || tenant.isBlank() ? Caller.DEFAULT_TENANT : tenant.strip();
        id = id == null || id.isBlank() ? ANONYMOUS : id.strip();
    }

    /** The tenant and user of a request. */
    public static AuditActor of(Caller caller) {
        Objects.requireNonNull(caller, "caller");
        String id = caller.user() != null ? caller.user() : caller.principal() != null ? caller.principal().id() : null;
        return new AuditActor(caller.tenant(), id);
    }

    /** A user of the default tenant, e.g. an operator at the command line. */
    public static AuditActor user(String id) {
        return new AuditActor(Caller.DEFAULT_TENANT, id);
    }

    @Override
    public String toString() {
        return tenant + "/" + id;
    }
}
