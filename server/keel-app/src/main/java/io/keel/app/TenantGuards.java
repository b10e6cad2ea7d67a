package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.guard.PolicyGuard;
import io.keel.guard.policy.GuardPolicy;
import io.keel.guard.policy.PolicyLoader;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The guards of tenants with their own policy ({@code tenants.NAME.guard_policy}, a policy name in
 * {@code guard.policies_dir}): one {@link PolicyGuard} per policy named, shared by the tenants naming it.
 */
final class TenantGuards {
    private TenantGuards() {
    }

    /**
     * @param guardModel the embedder the guards' detectors run on (built only when a tenant names a policy)
     * @return each tenant's guard; empty when no tenant names a policy
     */
    static Map<String, PolicyGuard> build(KeelConfig config, Supplier<Embedder> guardModel, Closeables closeables) {
        Map<String, String> named = config.tenants().guardPolicies();
        if (named.isEmpty()) return Map.of();
        if (!config.guard().enabled()) {
            throw KeelException.invalid("tenants " + named.keySet() + " name a guard_policy but guard.enabled is false; "
                    + "turn the guard on or remove tenants.NAME.guard_policy");
        }
        if (config.guard().policiesDir() == null) {
            throw KeelException.invalid("tenants " + named.keySet() + " name a guard_policy: set guard.policies_dir to the "
                    + "folder holding those policies (*.yaml, each with its name:)");
        }
        Map<String, GuardPolicy> policies = PolicyLoader.loadAll(config.guard().policiesDir());
        named.forEach((tenant, policyName) -> {
            if (!policies.containsKey(policyName)) {
                throw KeelException.invalid("tenants." + tenant + ".guard_policy '" + policyName + "' is not a policy in "
                        + config.guard().policiesDir() + "; found " + policies.keySet().stream().sorted().toList());
            }
        });
        Embedder model = guardModel.get();
        Map<String, PolicyGuard> byPolicy = new HashMap<>();
        Map<String, PolicyGuard> out = new LinkedHashMap<>();
        named.forEach((tenant, policyName) -> out.put(tenant, byPolicy.computeIfAbsent(policyName,
                n -> closeables.add(PolicyGuard.builder(policies.get(n)).embedder(model).build()))));
        return out;
    }
}
