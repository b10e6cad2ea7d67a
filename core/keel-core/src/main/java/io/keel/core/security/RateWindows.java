package io.keel.core.security;

/**
 * Counters per subject and fixed time window (one minute for {@link KeyLimiter}): the state behind request and token
 * rate limits. {@link MemoryRateWindows} keeps them in one process; the SQL store's implementation keeps them in the
 * shared PostgreSQL database, so that every instance counts against the same limit.
 */
public interface RateWindows extends AutoCloseable {
    /**
     * Adds {@code amount} to {@code subject}'s count in {@code window} when the total stays at most {@code limit};
     * atomic against every other caller of the same counters.
     *
     * @return whether it was added
     */
    boolean tryAdd(String subject, long window, long amount, long limit);

    /** Adds {@code amount} whatever the total. */
    void add(String subject, long window, long amount);

    /** {@code subject}'s count in {@code window}; 0 when nothing was counted. */
    long count(String subject, long window);

    @Override
    default void close() {
    }
}
