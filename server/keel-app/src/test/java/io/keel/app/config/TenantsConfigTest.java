package io.keel.app.config;

import io.keel.core.budget.Budget;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantsConfigTest {
    private static KeelConfig config(Map<String, Object> tenants) {
        return KeelConfig.fromTree(Map.of("tenants", tenants), Map.of());
    }

    @Test
    void readsPoliciesModelsAndBudgetsPerTenant() {
        TenantsConfig t = config(Map.of("acme", Map.of("guard_policy", "strict", "allowed_models", List.of("gpt-4o-mini", "rag:default"),
                "budgets", List.of(Map.of("period", "month", "limit_usd", 25))), "globex", Map.of())).tenants();
        assertThat(t.guardPolicies()).isEqualTo(Map.of("acme", "strict"));
        assertThat(t.allowedModels()).isEqualTo(Map.of("acme", Set.of("gpt-4o-mini", "rag:default")));
        assertThat(t.budgets()).containsExactly(new Budget("tenant", "acme", Budget.Period.MONTH, new BigDecimal("25.0")));
        assertThat(KeelConfig.fromTree(Map.of(), Map.of()).tenants().tenants()).isEmpty();
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> config(Map.of("acme", Map.of("guard_polcy", "strict"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("tenants.acme.guard_polcy");
        assertThatThrownBy(() -> config(Map.of("acme", Map.of("budgets", List.of(Map.of("period", "day"))))))
                .isInstanceOf(KeelException.class).hasMessageContaining("tenants.acme.budgets[0].limit_usd");
        assertThatThrownBy(() -> config(Map.of("acme", Map.of("budgets", List.of(Map.of("period", "week", "limit_usd", 1))))))
                .isInstanceOf(KeelException.class).hasMessageContaining("period");
    }
}
