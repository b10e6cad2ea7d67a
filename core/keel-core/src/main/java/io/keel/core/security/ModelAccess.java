package io.keel.core.security;

import io.keel.core.answer.Caller;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatRequest;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which models a caller's requests may be answered by: its credential's {@code allowed_models} and its tenant's
 * ({@code tenants.NAME.allowed_models}); both must allow a model (an empty list allows any). Checked before every
 * model call (chat, RAG generation: it wraps the {@link SpendControl} every model call passes) and by the embeddings
 * route; a model outside either list is a 403 naming the list.
 */
public final class ModelAccess implements SpendControl {
    private final SpendControl next;
    private final Map<String, Set<String>> byTenant;

    /** @param byTenant each tenant's allowed models; a tenant not listed may use any */
    public ModelAccess(SpendControl next, Map<String, Set<String>> byTenant) {
        this.next = Objects.requireNonNull(next, "next");
        this.byTenant = Map.copyOf(byTenant);
    }

    /** Whether {@code caller} may use {@code model} (for listings; requests use {@link #check}). */
    public boolean allows(Caller caller, String model) {
        if (caller == null) return true;
        Principal p = caller.principal();
        if (p != null && !p.limits().allowsModel(model)) return false;
        Set<String> tenant = byTenant.get(caller.tenant());
        return tenant == null || tenant.isEmpty() || tenant.contains(model);
    }

    /** @throws KeelException 403 when {@code caller} may not use {@code model} */
    public void check(Caller caller, String model) {
        if (caller == null) return;
        Principal p = caller.principal();
        if (p != null && !p.limits().allowsModel(model)) {
            throw new KeelException(ErrorCode.FORBIDDEN, "the credential " + p.id() + " may not use model '" + model
                    + "'; its allowed models are " + ApiKey.sorted(p.limits().allowedModels()));
        }
        Set<String> tenant = byTenant.get(caller.tenant());
        if (tenant != null && !tenant.isEmpty() && !tenant.contains(model)) {
            throw new KeelException(ErrorCode.FORBIDDEN, "tenant '" + caller.tenant() + "' may not use model '" + model
                    + "'; its allowed models are " + ApiKey.sorted(tenant) + " (tenants." + caller.tenant() + ".allowed_models)");
        }
    }

    @Override
    public Hold reserve(Caller caller, ChatRequest request) {
        check(caller, request.model());
        return next.reserve(caller, request);
    }
}
