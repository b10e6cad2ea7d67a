package io.keel.app.config;

import io.keel.core.budget.Budget;
import io.keel.core.config.ConfigNode;
import io.keel.core.security.KeyLimiter;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Per-tenant policies ({@code tenants.NAME.*}): the guard policy a tenant's requests are judged by, the models they may
 * be answered by, the tenant's budgets and its request and token rates.
 *
 * <pre>
 * tenants:
 *   acme:
 *     guard_policy: strict           # a policy name in guard.policies_dir
 *     allowed_models: [gpt-4o-mini]  # empty or absent: any model
 *     budgets:
 *       - {period: day, limit_usd: 5}
 *     requests_per_minute: 600       # all of the tenant's credentials together; 0 or absent: no limit
 *     tokens_per_minute: 200000
 * </pre>
 */
public record TenantsConfig(Map<String, Tenant> tenants) {
    public static final TenantsConfig NONE = new TenantsConfig(Map.of());

    public TenantsConfig {
        tenants = Map.copyOf(tenants);
    }

    /**
     * @param guardPolicy   the name of a policy in {@code guard.policies_dir}, or null for the server's policy
     * @param allowedModels models this tenant's requests may be answered by; empty for any
     * @param budgets       the tenant's spending limits (scope {@code tenant}, subject the tenant)
     * @param rates         requests and tokens per minute of all the tenant's credentials together
     */
    public record Tenant(String name, String guardPolicy, Set<String> allowedModels, List<Budget> budgets,
                         KeyLimiter.TenantRates rates) {
        public Tenant {
            allowedModels = Set.copyOf(allowedModels);
            budgets = List.copyOf(budgets);
        }
    }

    /** Each tenant's allowed models (tenants with none listed are left out). */
    public Map<String, Set<String>> allowedModels() {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        tenants.forEach((name, t) -> {
            if (!t.allowedModels().isEmpty()) out.put(name, t.allowedModels());
        });
        return out;
    }

    /** Each tenant's guard policy name (tenants with none are left out). */
    public Map<String, String> guardPolicies() {
        Map<String, String> out = new LinkedHashMap<>();
        tenants.forEach((name, t) -> {
            if (t.guardPolicy() != null) out.put(name, t.guardPolicy());
        });
        return out;
    }

    /** The rates of the tenants that have any. */
    public Map<String, KeyLimiter.TenantRates> rates() {
        Map<String, KeyLimiter.TenantRates> out = new LinkedHashMap<>();
        tenants.forEach((name, t) -> {
            if (t.rates().requestsPerMinute() > 0 || t.rates().tokensPerMinute() > 0) out.put(name, t.rates());
        });
        return out;
    }

    /** Every tenant's budgets. */
    public List<Budget> budgets() {
        List<Budget> out = new ArrayList<>();
        tenants.values().forEach(t -> out.addAll(t.budgets()));
        return out;
    }

    static TenantsConfig from(ConfigNode node) {
        Map<String, Tenant> out = new LinkedHashMap<>();
        for (String name : node.keys().stream().sorted().toList()) {
            if (!name.matches("[A-Za-z0-9._:@/+-]{1,128}")) {
                throw node.error(name, "is not a tenant name: 1-128 letters, digits and ._:@/+-");
            }
            ConfigNode t = node.child(name);
            Set<String> models = new LinkedHashSet<>(t.strings("allowed_models"));
            List<Budget> budgets = t.list("budgets", item -> {
                String period = item.choice("period", "day", "day", "month").toUpperCase(Locale.ROOT);
                double limit = item.decimal("limit_usd", -1, 0, 1e9);
                if (limit < 0) throw item.error("limit_usd", "is required: the most this tenant may spend per period, in US dollars");
                return new Budget("tenant", name, Budget.Period.valueOf(period), new BigDecimal(Double.toString(limit)));
            });
            KeyLimiter.TenantRates rates = new KeyLimiter.TenantRates(t.integer("requests_per_minute", 0, 0, 100_000_000),
                    t.integer("tokens_per_minute", 0, 0, 2_000_000_000));
            out.put(name, new Tenant(name, t.string("guard_policy", null), models, budgets, rates));
        }
        return new TenantsConfig(out);
    }
}
