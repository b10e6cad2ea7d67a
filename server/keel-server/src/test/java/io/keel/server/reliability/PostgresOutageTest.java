package io.keel.server.reliability;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.ProgressListener;
import io.keel.server.KeelServer;
import io.keel.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL lost and restored under load: Keel's SQL store runs on a real PostgreSQL schema reached through a TCP
 * proxy, and the proxy is cut (every connection dropped, new ones refused) while clients keep sending requests that
 * read the store ({@code GET /v1/requests}) and requests that only write the request log ({@code POST /v1/retrieve}).
 * Requests must fail cleanly (503 in the envelope, within the store's connection timeout) or succeed, none may hang,
 * and the server must recover when the database comes back, without a restart.
 */
class PostgresOutageTest {
    /**
     * Longer than a store read can wait (2 s for the request log's writer, then the store's 10 s connection timeout),
     * so requests that need the database give up during it.
     */
    private static final long OUTAGE_MILLIS = 16_000;
    @TempDir
    Path dir;

    @Test
    void requestsFailCleanlyDuringAnOutageAndTheServerRecoversWithoutARestart() throws Exception {
        try (TestDatabase db = TestDatabase.postgres(); TcpProxy proxy = new TcpProxy("127.0.0.1", 5432)) {
            String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema=" + db.schema()
                    + "&connectTimeout=2&socketTimeout=10";
            KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                    "auth", Map.of("enabled", "true"),
                    "store", Map.of("backend", "postgresql", "url", url, "user", TestDatabase.PG_USER)), Map.of());
            Keel keel = Keel.open(config);
            Path docs = Files.createDirectories(dir.resolve("docs"));
            Files.writeString(docs.resolve("a.md"), "# Refunds\n\nRefunds are paid within thirty days.");
            keel.ingest(List.of(docs), null, IngestOptions.defaults(), ProgressListener.NONE);
            String key = new ApiKeyManager(keel.apiKeys(), java.time.Clock.systemUTC())
                    .create(new ApiKeyManager.Spec("ops", Role.ADMIN, null, null, Set.of(), Set.of(), 1_000_000)).secret();
            KeelServer server = KeelServer.start(keel, config.server().withPort(0));
            try {
                run(server.port(), key, proxy, db);
            } finally {
                server.close();
            }
        }
    }

    private record Phase(String name, Map<String, AtomicInteger> statuses) {
        void count(String what) {
            statuses.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private void run(int port, String key, TcpProxy proxy, TestDatabase db) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Phase before = new Phase("before", new ConcurrentHashMap<>());
        Phase outage = new Phase("outage", new ConcurrentHashMap<>());
        Phase after = new Phase("after", new ConcurrentHashMap<>());
        java.util.concurrent.atomic.AtomicReference<Phase> phase = new java.util.concurrent.atomic.AtomicReference<>(before);
        AtomicLong slowestMillis = new AtomicLong();
        AtomicInteger retrieved = new AtomicInteger();
        List<String> bad = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    boolean read = (i++ + client) % 2 == 0;
                    byte[] request = read
                            ? RawHttp.request("GET", "/v1/requests?limit=5", null, null, "Authorization", "Bearer " + key)
                            : RawHttp.request("POST", "/v1/retrieve", "application/json",
                            ("{\"query\":\"refunds " + client + "-" + i + "\"}").getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + key);
                    long start = System.nanoTime();
                    RawHttp.Exchange e = RawHttp.send(port, request, 30_000);
                    Phase p = phase.get(); // the phase the answer came in
                    slowestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
                    String what = (read ? "requests " : "retrieve ") + (e.hung() ? "hung" : e.status());
                    p.count(what);
                    if (!read && e.status() == 200) retrieved.incrementAndGet();
                    boolean clean = e.status() == 200 || (e.status() == 503 && e.answer().contains("\"code\":\"unavailable\""));
                    if (!clean) bad.add(p.name() + ": " + what + " " + e.answer().lines().reduce((a, b) -> b).orElse(""));
                }
                return null;
            });
        }
        Thread.sleep(2_000);
        phase.set(outage);
        proxy.cut();
        Thread.sleep(OUTAGE_MILLIS);

        proxy.restore();
        long restored = System.nanoTime();
        phase.set(after);
        // recovery: the first successful store read after the restore, without restarting anything
        long recoveredMillis = -1;
        while (System.nanoTime() - restored < TimeUnit.SECONDS.toNanos(30)) {
            RawHttp.Exchange e = RawHttp.send(port, RawHttp.request("GET", "/v1/requests?limit=1", null, null,
                    "Authorization", "Bearer " + key), 30_000);
            if (e.status() == 200) {
                recoveredMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored);
                break;
            }
            Thread.sleep(100);
        }
        Thread.sleep(3_000);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(2_000); // the request log writer's retries
        long logged;
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestDatabase.PG_USER, null);
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM requests WHERE route LIKE '%retrieve%'")) {
            rs.next();
            logged = rs.getLong(1);
        }
        String summary = "postgres outage " + java.time.Instant.now() + ": before " + before.statuses() + ", outage (" + OUTAGE_MILLIS / 1000 + " s) "
                + outage.statuses() + ", after " + after.statuses() + "; recovered " + recoveredMillis + " ms after the restore;"
                + " slowest request " + slowestMillis.get() + " ms; retrievals answered 200: " + retrieved.get()
                + ", request-log records: " + logged;
        FuzzServer.report("postgres-outage", summary);
        System.out.println(summary);

        assertThat(bad).as(summary).isEmpty();
        assertThat(outage.statuses()).as("the outage was felt: " + summary).containsKey("requests 503");
        assertThat(recoveredMillis).as(summary).isBetween(0L, 15_000L);
        assertThat(after.statuses()).as(summary).containsKey("requests 200");
        assertThat(slowestMillis.get()).as("no request waits past the store's connection timeout: " + summary).isLessThan(15_000);
        assertThat(logged).as("every answered retrieval is in the request log: " + summary).isEqualTo(retrieved.get());
    }
}
