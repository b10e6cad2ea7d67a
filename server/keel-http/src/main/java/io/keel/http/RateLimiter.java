package io.keel.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per minute per credential: a token bucket holding one minute's worth, refilled continuously. Kept in
 * memory, per instance: with several instances behind a balancer each grants the full rate.
 */
public final class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    public RateLimiter() {
        this(System::nanoTime);
    }

    public RateLimiter(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * Takes one token from {@code key}'s bucket.
     *
     * @param perMinute the key's rate; 0 or less means unlimited
     * @return 0 when the request may go ahead, else the whole seconds until a token is available (for {@code Retry-After})
     */
    public long acquire(String key, int perMinute) {
        if (perMinute <= 0) return 0;
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, nanos.getAsLong()));
        return b.take(perMinute, nanos.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(int perMinute, long now) {
            this.tokens = perMinute;
            this.at = now;
        }

        synchronized long take(int perMinute, long now) {
            double perNano = perMinute / 60e9;
            tokens = Math.min(perMinute, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }
    }
}
