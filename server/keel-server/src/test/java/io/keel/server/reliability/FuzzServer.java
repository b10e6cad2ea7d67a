package io.keel.server.reliability;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.server.KeelServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server the reliability suite attacks: the default configuration (ONNX embedder, Lucene, SQLite, guard) in open
 * mode on loopback, with connection deadlines short enough that a stalled request costs a fraction of a second; and
 * the tally of what it answered, written to {@code target/reliability/} for docs/reliability.md.
 */
final class FuzzServer implements AutoCloseable {
    static final Duration HEADER_TIMEOUT = Duration.ofMillis(400);
    static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    static final Duration BODY_TIMEOUT = Duration.ofSeconds(2);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
    /** Whether {@code e} is a server error: any 5xx except 505 (HTTP version not supported), which is a refusal. */
    static boolean serverError(RawHttp.Exchange e) {
        return e.status() >= 500 && e.status() != 505;
    }

    /** How long an exchange may go without a byte from the server before it counts as a hang. */
    static final int HANG_MILLIS = 10_000;

    final KeelServer server;
    final Path dir;
    /** An admin key, so every route is reached; a request that sends its own Authorization is checked with that. */
    final String adminKey;
    private final Map<String, AtomicLong> tally = new TreeMap<>();

    FuzzServer(int maxConnections) {
        try {
            dir = Files.createTempDirectory("keel-reliability");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("enabled", "true")), Map.of());
        Keel keel = Keel.open(config);
        try {
            Path docs = Files.createDirectories(dir.resolve("docs"));
            Files.writeString(docs.resolve("ingest.md"), "# Ingestion\n\nDocuments are parsed, chunked, embedded and indexed.");
            keel.ingest(java.util.List.of(docs), null, io.keel.ingest.IngestOptions.defaults(), io.keel.ingest.ProgressListener.NONE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        adminKey = new ApiKeyManager(keel.apiKeys(), java.time.Clock.systemUTC())
                .create(new ApiKeyManager.Spec("ops", Role.ADMIN, null, null, Set.of(), Set.of(), 1_000_000)).secret();
        server = KeelServer.start(keel, config.server().withPort(0)
                .withConnections(HEADER_TIMEOUT, READ_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT, maxConnections));
    }

    int port() {
        return server.port();
    }

    /**
     * Counts one exchange under its status class ("2xx", "4xx", "5xx", "closed", "hung"); 505, the deliberate answer to
     * a request line of another HTTP version, is counted apart as "505".
     */
    synchronized void count(RawHttp.Exchange e) {
        String key = e.hung() ? "hung" : !e.answered() ? "closed" : e.status() == 505 ? "505" : (e.status() / 100) + "xx";
        tally.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        tally.computeIfAbsent("total", k -> new AtomicLong()).incrementAndGet();
    }

    synchronized long count(String key) {
        AtomicLong n = tally.get(key);
        return n == null ? 0 : n.get();
    }

    synchronized String summary() {
        return tally.toString();
    }

    private final Map<String, long[]> timings = new TreeMap<>();

    /** Adds one exchange's duration to its route's total (for finding what makes the run slow). */
    synchronized void time(String route, long nanos) {
        long[] t = timings.computeIfAbsent(route, k -> new long[2]);
        t[0]++;
        t[1] += nanos;
    }

    synchronized String timingSummary() {
        StringBuilder b = new StringBuilder();
        timings.forEach((k, v) -> b.append(k).append(": n=").append(v[0]).append(" total_ms=").append(v[1] / 1_000_000).append('\n'));
        return b.toString();
    }

    /** Appends {@code line} to {@code target/reliability/NAME.txt}. */
    static void report(String name, String line) {
        try {
            Path out = Path.of("target", "reliability");
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".txt"), line + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Why the server is not healthy, or null when it answers its liveness check and a real query. */
    String unhealthy() throws IOException {
        RawHttp.Exchange live = RawHttp.send(port(), RawHttp.request("GET", "/health/live", null, null), HANG_MILLIS);
        RawHttp.Exchange query = RawHttp.send(port(), RawHttp.request("POST", "/v1/retrieve", "application/json",
                "{\"query\":\"how are documents ingested?\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + adminKey), HANG_MILLIS);
        if (live.status() == 200 && query.status() == 200) return null;
        return "live: " + live.answer() + "\nquery: " + query.answer();
    }

    @Override
    public void close() {
        server.close();
    }
}
