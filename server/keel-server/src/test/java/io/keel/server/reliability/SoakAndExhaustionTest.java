package io.keel.server.reliability;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection exhaustion and a soak, on loopback against the default server: many more idle connections than the
 * server's limit, then steady mixed traffic for a bounded time, with the process's heap (after a GC) and open file
 * descriptors measured before and after. The soak runs 20 s in CI and {@code keel.reliability.soak_seconds} (default
 * 600) with {@code -Dkeel.reliability.long=true}.
 */
class SoakAndExhaustionTest {
    private static final int MAX_CONNECTIONS = 32;
    private static FuzzServer server;

    @BeforeAll
    static void start() {
        server = new FuzzServer(MAX_CONNECTIONS);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static long openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static RawHttp.Exchange call(String method, String path, String body) throws IOException {
        return RawHttp.send(server.port(), RawHttp.request(method, path, body == null ? null : "application/json",
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + server.adminKey), 30_000);
    }

    @Test
    void tenTimesTheConnectionLimitInIdleSocketsLeavesTheServerAnsweringAndItsDescriptorsBounded() throws Exception {
        long before = openFiles();
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS * 10; i++) idle.add(new Socket("127.0.0.1", server.port()));
            long during = openFiles();
            // our own sockets are 320 descriptors; the server's side holds at most its limit of them
            assertThat(during - before).isLessThanOrEqualTo(MAX_CONNECTIONS * 10L + MAX_CONNECTIONS + 16);
            Thread.sleep(FuzzServer.IDLE_TIMEOUT.toMillis() * 3);
        } finally {
            for (Socket s : idle) s.close();
        }
        long start = System.nanoTime();
        RawHttp.Exchange live = call("GET", "/health/live", null);
        assertThat(live.status()).isEqualTo(200);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        Thread.sleep(FuzzServer.IDLE_TIMEOUT.toMillis() * 2);
        long after = openFiles();
        FuzzServer.report("exhaustion", "exhaustion " + java.time.Instant.now() + ": " + MAX_CONNECTIONS * 10
                + " idle sockets against max_connections " + MAX_CONNECTIONS + "; open files before " + before + ", after " + after);
        assertThat(after - before).as("descriptors back to where they were").isLessThan(16);
    }

    @Test
    void steadyMixedTrafficKeepsHeapAndDescriptorsFlat() throws Exception {
        long seconds = LongRuns.enabled() ? Long.getLong("keel.reliability.soak_seconds", 600) : 20;
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> bad = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < 4; c++) {
            int client = c;
            clients.submit(() -> {
                int i = 0;
                while (!stop.get()) {
                    i++;
                    RawHttp.Exchange e = switch ((i + client) % 5) {
                        case 0 -> call("POST", "/v1/retrieve", "{\"query\":\"how are documents ingested " + i % 50 + "\"}");
                        case 1 -> call("POST", "/v1/query", "{\"question\":\"what happens to documents " + i % 50 + "?\"}");
                        case 2 -> call("POST", "/v1/guard/scan", "{\"text\":\"call me at 555-0100 about order " + i + "\"}");
                        case 3 -> call("POST", "/v1/documents", "{\"op\":\"upsert\",\"id\":\"soak-" + client + "-" + i % 20
                                + "\",\"version\":" + i + ",\"content\":\"Soak note " + i + " about shipping.\"}");
                        default -> call("GET", "/health/ready", null);
                    };
                    statuses.computeIfAbsent(String.valueOf(e.status()), k -> new AtomicInteger()).incrementAndGet();
                    if (e.status() != 200) bad.add(e.answer());
                }
                return null;
            });
        }
        Thread.sleep(Math.min(5_000, seconds * 1000 / 4)); // warm-up: caches, JIT, pools
        long heapStart = heapAfterGc();
        long filesStart = openFiles();
        Thread.sleep(seconds * 1000);
        stop.set(true);
        clients.shutdown();
        assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        long heapEnd = heapAfterGc();
        long filesEnd = openFiles();
        String summary = "soak " + java.time.Instant.now() + ": " + seconds + " s, 4 clients, statuses " + statuses
                + "; heap after GC " + heapStart / (1024 * 1024) + " MiB -> " + heapEnd / (1024 * 1024) + " MiB; open files "
                + filesStart + " -> " + filesEnd;
        FuzzServer.report("soak", summary);
        assertThat(bad).as(summary).isEmpty();
        assertThat(heapEnd - heapStart).as(summary).isLessThan(64L * 1024 * 1024);
        assertThat(filesEnd - filesStart).as(summary).isLessThan(16);
        assertThat(server.unhealthy()).isNull();
    }
}
