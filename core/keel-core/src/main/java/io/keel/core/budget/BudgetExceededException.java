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

    public Budget budget() {
        return budget;
    }
}
