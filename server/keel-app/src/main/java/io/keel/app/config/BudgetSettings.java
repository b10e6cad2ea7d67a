package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.budget.Budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Spending limits ({@code budgets.*}), enforced before every model call.
 *
 * @param defaultMaxTokens completion tokens reserved for a request that sets no {@code max_tokens}
 */
public record BudgetSettings(List<Budget> limits, int defaultMaxTokens) {
    public BudgetSettings {
        limits = List.copyOf(limits);
    }

    static BudgetSettings from(ConfigNode n) {
        int defaultMaxTokens = n.integer("default_max_tokens", 1024, 1, 1_000_000);
        List<Budget> limits = n.list("limits", BudgetSettings::budget);
        return new BudgetSettings(limits, defaultMaxTokens);
    }

    private static Budget budget(ConfigNode item) {
        String scope = item.string("scope", null);
        if (scope == null || !List.of("tenant", "app", "user").contains(scope)) {
            throw ConfigNode.bad(item.path() + ".scope", "must be tenant, app or user; got '" + scope + "'");
        }
        String subject = item.string("subject", "*");
        String period = item.string("period", "day").toUpperCase(Locale.ROOT);
        if (!period.equals("DAY") && !period.equals("MONTH")) {
            throw ConfigNode.bad(item.path() + ".period", "must be day or month; got '" + period.toLowerCase(Locale.ROOT) + "'");
        }
        double limit = item.decimal("limit_usd", -1, 0, 1e9);
        if (limit < 0) throw ConfigNode.bad(item.path() + ".limit_usd", "is required: the most this subject may spend per period, in US dollars");
        return new Budget(scope, subject, Budget.Period.valueOf(period), new BigDecimal(Double.toString(limit)));
    }
}
