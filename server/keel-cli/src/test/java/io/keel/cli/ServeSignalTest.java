package io.keel.cli;

import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keel serve} as a child process, stopped the way Kubernetes stops it: SIGTERM while a streamed answer is in
 * flight lets the stream finish and exits 0; a second SIGTERM ends the process at once (exit 143).
 */
class ServeSignalTest {
    private static final Pattern READY = Pattern.compile("ready on http://[^:]+:(\\d+)");
    private static final String WORDS = "Hotels are booked through the travel desk for every trip abroad";

    @TempDir
    Path dir;
    private FakeOpenAiServer upstream;
    private Process keel;
    private final LinkedBlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void upstream() {
        upstream = new FakeOpenAiServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (keel != null && keel.isAlive()) {
            keel.destroyForcibly();
            keel.waitFor(30, TimeUnit.SECONDS);
        }
        upstream.close();
    }

    @Test
    void sigtermWhileAStreamIsInFlightLetsItFinishThenExitsZero() throws Exception {
        int port = serve("10s");
        upstream.enqueue(Reply.text(WORDS).withChunkDelay(Duration.ofMillis(200)));
        CompletableFuture<String> stream = stream(port);
        awaitLine("keel: ready");                      // the child is up; wait for the first streamed word below
        await(() -> upstream.requests().size() == 1);
        Thread.sleep(300);

        sigterm();
        awaitLine("SIGTERM: draining");
        HttpResponse<String> ready = get(port, "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);

        String events = stream.get(60, TimeUnit.SECONDS);
        assertThat(text(events)).isEqualTo(WORDS);
        assertThat(events).contains("data: [DONE]");
        assertThat(keel.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keel.exitValue()).as(String.join("\n", log)).isZero();
        assertThat(String.join("\n", log)).contains("keel: stopped: every in-flight request finished");
    }

    @Test
    void aSecondSigtermStopsAtOnce() throws Exception {
        int port = serve("5m");
        upstream.enqueue(Reply.text(WORDS).withChunkDelay(Duration.ofSeconds(30)));
        CompletableFuture<String> stream = stream(port);
        await(() -> upstream.requests().size() == 1);

        sigterm();
        awaitLine("SIGTERM: draining");
        Thread.sleep(200);
        assertThat(keel.isAlive()).as("the drain waits for the 5-minute grace period").isTrue();
        long start = System.nanoTime();
        sigterm();                                     // the second one
        assertThat(keel.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(keel.exitValue()).isEqualTo(ShutdownSignals.FORCED_EXIT);
        // cut off: before its headers (an I/O error) or part way through
        String events = stream.handle((ok, failed) -> failed == null ? ok : "").get(30, TimeUnit.SECONDS);
        assertThat(text(events)).isNotEqualTo(WORDS);
        assertThat(events).doesNotContain("[DONE]");
    }

    /** Starts {@code keel serve} on a free port with a streaming chat model; returns the port once it listens. */
    private int serve(String grace) throws Exception {
        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, """
                server:
                  port: 0
                  shutdown_grace: %s
                models:
                  - name: slow
                    provider: openai
                    model: gpt-4o-mini
                    endpoints: [%s/v1]
                    retry: { max_attempts: 1 }
                """.formatted(grace, upstream.baseUri()));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        keel = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "io.keel.cli.KeelCli",
                "serve", "--config", config.toString(), "--data", dir.resolve("data").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(keel.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.add(line);
                    stderr.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        Matcher m = READY.matcher(awaitLine("ready on http://"));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** SIGTERM, as Kubernetes sends it ({@link Process#destroy()} would also close the pipes this test reads). */
    private void sigterm() {
        assertThat(keel.toHandle().destroy()).isTrue();
    }

    private String awaitLine(String fragment) throws InterruptedException {
        for (String seen : List.copyOf(log)) if (seen.contains(fragment)) return seen;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String line = stderr.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(fragment)) return line;
            if (line == null && !keel.isAlive()) break;
        }
        throw new AssertionError("keel serve never printed '" + fragment + "'"
                + (keel.isAlive() ? "" : " (exit " + keel.exitValue() + ")") + ":\n" + String.join("\n", log));
    }

    private CompletableFuture<String> stream(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"How are hotels booked?\"}]}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApplyAsync(r -> readAll(r.body()));
    }

    private static String readAll(InputStream in) {
        StringBuilder s = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) s.append(line).append('\n');
        } catch (IOException e) {
            // cut off: what arrived is the answer
        }
        return s.toString();
    }

    /** The streamed words of a chat completion's events. */
    private static String text(String events) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : events.split("\n")) {
            if (!line.startsWith("data: {")) continue;
            var content = io.keel.server.Json.MAPPER.readTree(line.substring(6)).at("/choices/0/delta/content");
            if (content.isTextual()) text.append(content.asText());
        }
        return text.toString().strip();
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 30 s");
            Thread.sleep(20);
        }
    }
}
