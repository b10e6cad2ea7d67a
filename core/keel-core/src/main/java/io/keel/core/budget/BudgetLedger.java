package io.keel.core.budget;

import java.time.Instant;
import java.util.List;

/**
 * Durable, concurrency-safe spend accounting against budgets. A request first {@link #reserve reserves} its worst-case
 * cost against every budget that applies to it; when it ends it {@link #settle settles} with the actual cost, which
 * frees the rest of the reservation. Reservations are all-or-nothing across budgets and never let
 * {@code spent + reserved} exceed a limit, however many requests race for the last dollar.
 */
public interface BudgetLedger extends AutoCloseable {
    /**
     * Reserves {@code nanos} against each budget in its period bucket for {@code at}.
     *
     * @param charges every budget that applies, each with the concrete subject charged (the caller's tenant for a
     *                {@code *} tenant budget); may be empty (nothing to check, nothing stored)
     * @throws BudgetExceededException naming the first budget that cannot cover the reservation; nothing is reserved
     */
    Reservation reserve(List<Charge> charges, long nanos, Instant at);

    /** Replaces the reservation with the actual cost (which may exceed it: the call has already happened). */
    void settle(Reservation reservation, long actualNanos);

    /** Current spend and outstanding reservations for one budget subject in the bucket holding {@code at}. */
    Spend spend(Charge charge, Instant at);

    @Override
    default void close() {
    }

    /** One budget applied to one concrete subject. */
    record Charge(Budget budget, String subject) {
    }

    /** What a reservation holds, to be settled exactly once. */
    record Reservation(String id, List<Charge> charges, List<String> buckets, long nanos) {
        public Reservation {
            charges = List.copyOf(charges);
            buckets = List.copyOf(buckets);
        }
    }

    record Spend(long spentNanos, long reservedNanos, long limitNanos) {
        public long remainingNanos() {
            return Math.max(0, limitNanos - spentNanos - reservedNanos);
        }
    }
}
