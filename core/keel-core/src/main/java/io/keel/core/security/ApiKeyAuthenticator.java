package io.keel.core.security;

import io.keel.core.concurrent.Repeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Authenticates {@code keel_live_...} API keys against an {@link ApiKeyStore} through a small cache: a key's record
 * is read from the store at most once per {@code ttl} (2 s by default), so a revocation made on any instance sharing
 * the store takes effect everywhere within that time, and a request costs a map lookup and one SHA-256. Unknown ids
 * are cached too, so a flood of made-up keys does not reach the database more than once per id and TTL.
 *
 * <p>Last-used times are collected in memory and written in one batch every {@code flushEvery}, and on close.
 */
public final class ApiKeyAuthenticator implements Authenticator, AutoCloseable {
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_FLUSH = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 100_000;
    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class.getName());

    private final ApiKeyStore store;
    private final Clock clock;
    private final long ttlNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final Thread flusher;

    public ApiKeyAuthenticator(ApiKeyStore store) {
        this(store, DEFAULT_TTL, DEFAULT_FLUSH, Clock.systemUTC());
    }

    /** @param flushEvery how often last-used times are written; zero writes only on {@link #flush()} and close */
    public ApiKeyAuthenticator(ApiKeyStore store, Duration ttl, Duration flushEvery, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlNanos = ttl.toNanos();
        this.flusher = flushEvery.isZero() ? null
                : Thread.ofVirtual().name("keel-key-last-used").start(() -> flushLoop(flushEvery));
    }

    private record Cached(ApiKey key, long loadedNanos) {
    }

    @Override
    public Optional<Principal> authenticate(String bearer) {
        if (!ApiKeySecrets.looksLikeKey(bearer)) return Optional.empty();
        String id = ApiKeySecrets.idOf(bearer);
        if (id == null) throw new AuthenticationException("malformed API key: expected keel_live_<12 hex>_<secret>");
        ApiKey key = lookup(id);
        if (key == null || !ApiKeySecrets.matches(key, bearer)) {
            throw new AuthenticationException("unknown API key " + id);
        }
        Instant now = clock.instant();
        if (key.revoked() != null) throw new AuthenticationException("API key " + id + " was revoked at " + key.revoked());
        if (key.expires() != null && !now.isBefore(key.expires())) {
            throw new AuthenticationException("API key " + id + " expired at " + key.expires());
        }
        used.put(id, now);
        return Optional.of(key.principal());
    }

    private ApiKey lookup(String id) {
        long now = System.nanoTime();
        Cached c = cache.get(id);
        if (c != null && now - c.loadedNanos < ttlNanos) return c.key;
        ApiKey key = store.find(id).orElse(null);
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(id, new Cached(key, now));
        return key;
    }

    /** Writes the collected last-used times now. */
    public void flush() {
        if (used.isEmpty()) return;
        Map<String, Instant> batch = new HashMap<>();
        for (String id : used.keySet()) {
            Instant t = used.remove(id);
            if (t != null) batch.put(id, t);
        }
        if (!batch.isEmpty()) store.touch(batch);
    }

    private void flushLoop(Duration every) {
        Repeat.every(every, this::flush, e -> LOG.warning("writing API keys' last-used times failed: " + e.getMessage()));
    }

    @Override
    public void close() {
        if (flusher != null) flusher.interrupt();
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warning("writing API keys' last-used times failed: " + e.getMessage());
        }
    }
}
