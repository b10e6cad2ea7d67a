package io.keel.core.security;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A credential's request-time limits: requests per minute, tokens per minute and requests in flight
 * ({@link Principal.Limits}). Requests and tokens are counted in fixed one-minute windows (UTC minutes) of a
 * {@link RateWindows}, shared by every instance when that is the SQL store's; requests in flight are counted per
 * instance.
 *
 * <p>A tenant may have rates of its own, shared by all its credentials ({@link TenantRates}). A request is admitted
 * when the key has a free parallel slot, its minute's token counts (the key's and its tenant's) are below their
 * limits, and one more request fits its tenant's and its own request limit; otherwise {@link LimitExceededException} (429) says which limit and
 * when to retry. Tokens are counted when a request ends ({@link #countTokens}), so the request that crosses the token
 * limit completes and the next ones wait for the next minute.
 */
public final class KeyLimiter implements AutoCloseable {
    private static final long MINUTE_MS = 60_000;

    private final RateWindows windows;
    private final int defaultRequestsPerMinute;
    private final Map<String, TenantRates> tenants;
    private final Clock clock;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /**
     * A tenant's rates, over all of its credentials together (0 for none).
     *
     * @param requestsPerMinute requests per minute of every credential of the tenant together
     * @param tokensPerMinute   tokens per minute of every credential of the tenant together
     */
    public record TenantRates(int requestsPerMinute, int tokensPerMinute) {
        public TenantRates {
            if (requestsPerMinute < 0 || tokensPerMinute < 0) throw new IllegalArgumentException("a tenant's rates must be >= 0");
        }
    }

    /** @param defaultRequestsPerMinute the rate of credentials that name none; 0 for unlimited */
    public KeyLimiter(RateWindows windows, int defaultRequestsPerMinute, Clock clock) {
        this(windows, defaultRequestsPerMinute, Map.of(), clock);
    }

    /**
     * @param defaultRequestsPerMinute the rate of credentials that name none; 0 for unlimited
     * @param tenants                  rates of tenants whose credentials share them, by tenant
     */
    public KeyLimiter(RateWindows windows, int defaultRequestsPerMinute, Map<String, TenantRates> tenants, Clock clock) {
        this.windows = Objects.requireNonNull(windows, "windows");
        if (defaultRequestsPerMinute < 0) throw new IllegalArgumentException("defaultRequestsPerMinute must be >= 0");
        this.defaultRequestsPerMinute = defaultRequestsPerMinute;
        this.tenants = Map.copyOf(tenants);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Held while a request runs; closing it frees its parallel slot (once). */
    public interface Permit extends AutoCloseable {
        @Override
        void close();

        Permit NONE = () -> { };
    }

    /**
     * Admits one request of {@code principal}.
     *
     * @throws LimitExceededException when a limit has no room
     */
    public Permit admit(Principal principal) {
        Principal.Limits limits = principal.limits();
        Permit permit = parallel(principal.id(), limits.maxParallel());
        try {
            long now = clock.millis();
            long window = now / MINUTE_MS;
            long retry = Math.max(1, ((window + 1) * MINUTE_MS - now + 999) / 1000);
            int tpm = limits.tokensPerMinute();
            if (tpm > 0) {
                long used = windows.count(tokensOf(principal.id()), window);
                if (used >= tpm) {
                    throw new LimitExceededException("the credential " + principal.id() + " used " + used + " of its "
                            + tpm + " tokens this minute; retry in " + retry + " s", retry);
                }
            }
            TenantRates tenant = tenants.get(principal.tenant());
            if (tenant != null && tenant.tokensPerMinute() > 0) {
                long used = windows.count(tenantTokensOf(principal.tenant()), window);
                if (used >= tenant.tokensPerMinute()) {
                    throw new LimitExceededException("tenant " + principal.tenant() + " used " + used + " of its "
                            + tenant.tokensPerMinute() + " tokens this minute; retry in " + retry + " s", retry);
                }
            }
            if (tenant != null && tenant.requestsPerMinute() > 0
                    && !windows.tryAdd(tenantRequestsOf(principal.tenant()), window, 1, tenant.requestsPerMinute())) {
                throw new LimitExceededException("tenant " + principal.tenant() + " is limited to " + tenant.requestsPerMinute()
                        + " requests per minute over all its credentials; retry in " + retry + " s", retry);
            }
            int rpm = limits.requestsPerMinute() > 0 ? limits.requestsPerMinute() : defaultRequestsPerMinute;
            if (rpm > 0 && !windows.tryAdd(requestsOf(principal.id()), window, 1, rpm)) {
                throw new LimitExceededException("the credential " + principal.id() + " is limited to " + rpm
                        + " requests per minute; retry in " + retry + " s", retry);
            }
            return permit;
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    /** Counts {@code tokens} used by a request of {@code principal} that just ended, for its tokens-per-minute limit. */
    public void countTokens(Principal principal, long tokens) {
        if (tokens <= 0) return;
        long window = clock.millis() / MINUTE_MS;
        if (principal.limits().tokensPerMinute() > 0) windows.add(tokensOf(principal.id()), window, tokens);
        TenantRates tenant = tenants.get(principal.tenant());
        if (tenant != null && tenant.tokensPerMinute() > 0) windows.add(tenantTokensOf(principal.tenant()), window, tokens);
    }

    /** Requests of {@code id} in flight on this instance now. */
    public int inFlight(String id) {
        AtomicInteger n = inFlight.get(id);
        return n == null ? 0 : n.get();
    }

    private Permit parallel(String id, int max) {
        if (max <= 0) return Permit.NONE;
        AtomicInteger n = inFlight.computeIfAbsent(id, k -> new AtomicInteger());
        if (n.incrementAndGet() > max) {
            n.decrementAndGet();
            throw new LimitExceededException("the credential " + id + " already has " + max
                    + " requests in flight (its max_parallel); retry when one has finished", 1);
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) n.decrementAndGet();
        };
    }

    private static String requestsOf(String id) {
        return "req:" + id;
    }

    private static String tokensOf(String id) {
        return "tok:" + id;
    }

    /** A tenant's counters: their prefixes differ from every credential's, whatever its id. */
    private static String tenantRequestsOf(String tenant) {
        return "treq:" + tenant;
    }

    private static String tenantTokensOf(String tenant) {
        return "ttok:" + tenant;
    }

    @Override
    public void close() {
        windows.close();
    }
}
