package io.keel.store.sql;

import io.keel.core.budget.Budget;
import io.keel.core.budget.Nanos;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The words of a refused reservation: which budget, and the numbers that did not add up. */
final class BudgetMessages {
    private BudgetMessages() {
    }

    /**
     * E.g. {@code tenant 'acme' daily budget for 2026-11-29 is $5.00: $4.98 spent and $0.01 reserved by requests in
     * flight leave $0.01, less than this request's worst case of $0.03}.
     */
    static String exceeded(Budget budget, String subject, String bucket, long limit, long spent, long reserved, long requested) {
        long left = Math.max(0, limit - spent - reserved);
        return budget.scope() + " '" + subject + "' " + (budget.period() == Budget.Period.DAY ? "daily" : "monthly")
                + " budget for " + bucket + " is " + usd(limit) + ": " + usd(spent) + " spent and " + usd(reserved)
                + " reserved by requests in flight leave " + usd(left) + ", less than this request's worst case of "
                + usd(requested);
    }

    /** Dollars with cents, and with more decimals only when cents would hide a sub-cent amount ($0.0023). */
    static String usd(long nanos) {
        BigDecimal v = Nanos.toUsd(nanos).stripTrailingZeros();
        if (v.scale() < 2) v = v.setScale(2, RoundingMode.UNNECESSARY);
        return (v.signum() < 0 ? "-$" + v.negate().toPlainString() : "$" + v.toPlainString());
    }
}
