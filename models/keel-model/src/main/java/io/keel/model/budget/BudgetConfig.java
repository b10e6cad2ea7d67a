package io.keel.model.budget;

import io.keel.core.budget.Budget;
import io.keel.core.config.ConfigNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Spending limits ({@code budgets:} in keel.yaml), enforced by {@link BudgetEnforcer} before every model call.
 *
 * @param limits           one budget per {@code budgets.limits} item
 * @param defaultMaxTokens completion tokens reserved for a request that sets no {@code max_tokens}
 */
public record BudgetConfig(List<Budget> limits, int defaultMaxTokens) {
    public BudgetConfig {
        limits = List.copyOf(limits);
    }

    /**
     * Reads the {@code budgets} section: {@code default_max_tokens} and {@code limits}, a list of
     * {@code {scope: tenant|app|user, subject: <name or *>, period: day|month, limit_usd: <dollars>}}.
     */
    public static BudgetConfig from(ConfigNode node) {
        int defaultMaxTokens = node.integer("default_max_tokens", 1024, 1, 1_000_000);
        List<Budget> limits = node.list("limits", BudgetConfig::budget);
        return new BudgetConfig(limits, defaultMaxTokens);
    }

    private static Budget budget(ConfigNode item) {
        String scope = item.choice("scope", null, "tenant", "app", "user");
        if (scope == null) throw item.error("scope", "is required: tenant, app or user");
        String subject = item.string("subject", "*");
        String period = item.choice("period", "day", "day", "month").toUpperCase(Locale.ROOT);
        double limit = item.decimal("limit_usd", -1, 0, 1e9);
        if (limit < 0) throw item.error("limit_usd", "is required: the most this subject may spend per period, in US dollars");
        return new Budget(scope, subject, Budget.Period.valueOf(period), new BigDecimal(Double.toString(limit)));
    }
}
