package io.keel.core.budget;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

/** A request's worst-case cost does not fit in a budget; answered with 429 {@code budget_exceeded}. */
public final class BudgetExceededException extends KeelException {
    private final transient Budget budget;

    public BudgetExceededException(Budget budget, String message) {
        super(ErrorCode.BUDGET_EXCEEDED, message);
        this.budget = budget;
    }

    /** Until the budget's next period starts (UTC). */
    @Override
    public java.time.Duration waitBeforeRetry() {
        if (budget == null) return null;
        java.time.Instant now = java.time.Instant.now();
        java.time.LocalDate today = now.atZone(java.time.ZoneOffset.UTC).toLocalDate();
        java.time.LocalDate next = budget.period() == Budget.Period.DAY ? today.plusDays(1) : today.withDayOfMonth(1).plusMonths(1);
        java.time.Duration d = java.time.Duration.between(now, next.atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        return d.isNegative() || d.isZero() ? java.time.Duration.ofSeconds(1) : d;
    }

    public Budget budget() {
        return budget;
    }
}
