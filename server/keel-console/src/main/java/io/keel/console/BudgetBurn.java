package io.keel.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.budget.Budget;
import io.keel.core.spi.RequestStore;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;
import io.keel.http.HttpJson;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each configured budget with what its subject spent in the current period, day by day, from the request log's
 * exact costs (the sums {@code /v1/usage} reports). A {@code *} budget is shown once per subject that spent in the
 * period. Budgets on API keys are listed without spend: the request log does not group by key.
 */
final class BudgetBurn {
    private final RequestStore store;
    private final List<Budget> budgets;
    private final Instant now;

    BudgetBurn(RequestStore store, List<Budget> budgets, Instant now) {
        this.store = store;
        this.budgets = budgets;
        this.now = now;
    }

    /**
     * The budgets {@code tenant} may see: with a tenant (a non-admin key), its own tenant budgets (named or {@code *});
     * with none (an admin key), every budget.
     */
    List<ObjectNode> forTenant(String tenant) {
        List<ObjectNode> out = new ArrayList<>();
        for (Budget b : budgets) {
            if (tenant != null && !(b.scope().equals("tenant") && (b.subject().equals("*") || b.subject().equals(tenant)))) continue;
            Instant start = periodStart(b.period());
            if (!List.of("tenant", "app", "user").contains(b.scope())) {
                out.add(head(b, b.subject(), start).putNull("spent_usd"));
                continue;
            }
            Map<String, TreeMap<String, BigDecimal>> bySubject = new LinkedHashMap<>();
            for (UsageRow r : store.usage(new UsageQuery(List.of(b.scope(), "day"), start, null, tenant))) {
                String subject = r.group().get(b.scope());
                if (subject == null || !(b.subject().equals("*") || b.subject().equals(subject))) continue;
                bySubject.computeIfAbsent(subject, k -> new TreeMap<>()).merge(r.group().get("day"), r.costUsd(), BigDecimal::add);
            }
            if (bySubject.isEmpty() && !b.subject().equals("*")) bySubject.put(b.subject(), new TreeMap<>());
            bySubject.forEach((subject, days) -> out.add(burn(b, subject, start, days)));
        }
        return out;
    }

    private ObjectNode burn(Budget b, String subject, Instant start, TreeMap<String, BigDecimal> days) {
        ObjectNode n = head(b, subject, start);
        BigDecimal total = BigDecimal.ZERO;
        var arr = HttpJson.MAPPER.createArrayNode();
        for (var e : days.entrySet()) {
            total = total.add(e.getValue());
            arr.addObject().put("day", e.getKey()).put("cost_usd", e.getValue().toPlainString())
                    .put("cumulative_usd", total.toPlainString());
        }
        n.put("spent_usd", total.toPlainString());
        n.put("remaining_usd", b.limitUsd().subtract(total).max(BigDecimal.ZERO).toPlainString());
        n.set("days", arr);
        return n;
    }

    private static ObjectNode head(Budget b, String subject, Instant start) {
        return HttpJson.MAPPER.createObjectNode().put("scope", b.scope()).put("subject", subject)
                .put("period", b.period().name().toLowerCase(java.util.Locale.ROOT)).put("period_start", start.toString())
                .put("limit_usd", b.limitUsd().toPlainString());
    }

    private Instant periodStart(Budget.Period period) {
        LocalDate d = now.atZone(ZoneOffset.UTC).toLocalDate();
        if (period == Budget.Period.MONTH) d = d.withDayOfMonth(1);
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
