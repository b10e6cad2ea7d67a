package io.keel.server.security;

import io.keel.core.security.ApiKeyAuthenticator;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Authenticator;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.core.security.KeyLimiter;
import io.keel.core.security.MemoryRateWindows;
import io.keel.http.RouteTable;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlApiKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-request cost of authentication and authorization with the key cache warm: what {@code AccessFilter} does
 * for a protected route (route lookup, bearer check against the cached key record, role check, rate-limit bucket).
 * Target: p50 under 50 us. Prints p50/p99 for BENCHMARKS.md.
 */
class AuthOverheadTest {
    @TempDir
    Path dir;

    @Test
    void p50IsUnderFiftyMicroseconds() {
        try (Database db = Database.sqlite(dir.resolve("keel.db"))) {
            SqlApiKeyStore store = new SqlApiKeyStore(db);
            List<String> keys = new java.util.ArrayList<>();
            ApiKeyManager m = new ApiKeyManager(store, Clock.systemUTC());
            for (int i = 0; i < 50; i++) keys.add(m.create(new ApiKeyManager.Spec("t" + i, Role.APP, null, null, Set.of(), Set.of("g"), 1_000_000_000)).secret());
            try (ApiKeyAuthenticator auth = new ApiKeyAuthenticator(store, Duration.ofSeconds(60), Duration.ZERO, Clock.systemUTC())) {
                RouteTable table = AccessRoutes.TABLE;
                KeyLimiter limiter = new KeyLimiter(new MemoryRateWindows(), 0, Clock.systemUTC());
                List<Authenticator> chain = List.of(auth);
                String[] paths = {"/v1/query", "/v1/retrieve", "/v1/chat/completions", "/v1/documents/kb/42"};
                String[] methods = {"POST", "POST", "POST", "DELETE"};
                int warm = 20_000, n = 100_000;
                long[] nanos = new long[n];
                long sink = 0;
                for (int i = 0; i < warm + n; i++) {
                    int r = i % paths.length;
                    long t0 = System.nanoTime();
                    RouteTable.Rule rule = table.find(methods[r], paths[r]);
                    Principal p = Authenticator.first(chain, keys.get(i % keys.size()));
                    boolean allowed = p.hasAny(rule.roles());
                    limiter.admit(p).close();
                    long t1 = System.nanoTime();
                    sink += allowed ? 1 : 0;
                    if (i >= warm) nanos[i - warm] = t1 - t0;
                }
                Arrays.sort(nanos);
                double p50 = nanos[n / 2] / 1000.0, p99 = nanos[n * 99 / 100] / 1000.0;
                System.out.printf("auth overhead per request (cached key): p50 %.2f us, p99 %.2f us over %d requests%n", p50, p99, n);
                assertThat(sink).isEqualTo(warm + n);
                assertThat(p50).isLessThan(50.0);
            }
        }
    }
}
