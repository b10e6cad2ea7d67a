package io.keel.core.budget;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatRequest;

/**
 * Enforces budgets around one model call: {@link #reserve} before the call (refusing it when a budget cannot cover the
 * worst case), {@link Hold#settle} with the actual usage when the response or stream ends, failed or not.
 */
public interface SpendControl {
    /** @throws BudgetExceededException when a budget that applies to {@code caller} cannot cover the worst case */
    Hold reserve(Caller caller, ChatRequest request);

    /** A reservation to settle exactly once; later calls are ignored. */
    interface Hold {
        void settle(Usage actual);

        Hold NONE = actual -> { };
    }

    SpendControl NONE = (caller, request) -> Hold.NONE;
}
