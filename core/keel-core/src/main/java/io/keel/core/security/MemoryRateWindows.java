package io.keel.core.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RateWindows} in this process's memory: each instance counts on its own (embedded mode, SQLite). Counters of
 * windows older than the previous one are dropped when a newer window is first counted.
 */
public final class MemoryRateWindows implements RateWindows {
    private record Key(String subject, long window) {
    }

    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);

    @Override
    public boolean tryAdd(String subject, long window, long amount, long limit) {
        AtomicLong c = counter(subject, window);
        while (true) {
            long n = c.get();
            if (n + amount > limit) return false;
            if (c.compareAndSet(n, n + amount)) return true;
        }
    }

    @Override
    public void add(String subject, long window, long amount) {
        counter(subject, window).addAndGet(amount);
    }

    @Override
    public long count(String subject, long window) {
        AtomicLong c = counts.get(new Key(subject, window));
        return c == null ? 0 : c.get();
    }

    private AtomicLong counter(String subject, long window) {
        long seen = newest.get();
        if (window > seen && newest.compareAndSet(seen, window)) {
            counts.keySet().removeIf(k -> k.window < window - 1);
        }
        return counts.computeIfAbsent(new Key(subject, window), k -> new AtomicLong());
    }
}
