package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shutdown path SIGTERM takes ({@link KeelServer#shutdown(Duration)}): a streamed answer in flight when the drain
 * begins still arrives whole, readiness turns 503 at once, new requests are refused with a retryable 503, and a stream
 * that outlasts the grace period is cut off at its end instead of holding the process.
 */
class GracefulShutdownTest {
    private static final String WORDS = "Economy class is booked for flights under six hours within the travel policy";

    @TempDir
    Path dir;
    private FakeOpenAiServer upstream;
    private KeelServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        upstream = new FakeOpenAiServer();
        List<Map<String, Object>> models = List.of(Map.of("name", "slow", "provider", "openai", "model", "gpt-4o-mini",
                "endpoints", List.of(upstream.baseUri() + "/v1"), "retry", Map.of("max_attempts", 1)));
        KeelConfig base = KeelConfig.defaults().withDataDir(dir.resolve("data"));
        KeelConfig config = base.withModels(models, base.generator());
        server = KeelServer.start(Keel.open(config), config.server().withPort(0));
    }

    @AfterEach
    void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void aStreamInFlightWhenTheDrainBeginsCompletesWhileNewRequestsAreTurnedAway() throws Exception {
        // 14 words, 150 ms apart: the stream runs about two seconds, most of it after the drain has begun.
        upstream.enqueue(Reply.text(WORDS).withChunkDelay(Duration.ofMillis(150)));
        Stream stream = Stream.open(http, server.port());
        stream.awaitFirstEvent();

        CompletableFuture<ShutdownOutcome> shutdown = CompletableFuture.supplyAsync(() -> server.shutdown(Duration.ofSeconds(30)));
        while (!server.draining()) Thread.sleep(5);

        HttpResponse<String> ready = TestHttp.get(server.port(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(TestHttp.json(ready).get("status").asText()).isEqualTo("draining");
        assertThat(TestHttp.get(server.port(), "/health/live").statusCode()).isEqualTo(200);
        assertThat(http10(server.port(), "/health/ready")).as("a load balancer's HTTP/1.0 check").startsWith("HTTP/1.1 503");
        assertThat(http10(server.port(), "/health/live")).startsWith("HTTP/1.1 200");

        HttpResponse<String> refused = TestHttp.send(server.port(), "POST", "/v1/query", "application/json", "{\"question\":\"travel?\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(TestHttp.json(refused).at("/error/code").asText()).isEqualTo("unavailable");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        HttpResponse<String> refusedChat = TestHttp.send(server.port(), "POST", "/v1/chat/completions", "application/json",
                "{\"model\":\"slow\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(refusedChat.statusCode()).isEqualTo(503);
        assertThat(TestHttp.json(refusedChat).at("/error/type").isMissingNode()).as("OpenAI's error shape").isFalse();
        assertThat(shutdown).as("the drain waits for the stream").isNotDone();

        Stream.Result result = stream.finish();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.text()).isEqualTo(WORDS);
        assertThat(result.done()).as("the stream ended with [DONE]").isTrue();

        ShutdownOutcome outcome = shutdown.get(30, TimeUnit.SECONDS);
        assertThat(outcome.drained()).isTrue();
        assertThat(outcome.abandoned()).isZero();
        assertThat(upstream.requests()).hasSize(1);
    }

    @Test
    void aStreamThatOutlastsTheGracePeriodIsCutOffAndTheServerStillStops() throws Exception {
        upstream.enqueue(Reply.text(WORDS).withChunkDelay(Duration.ofSeconds(5)));
        Stream stream = Stream.open(http, server.port());
        stream.awaitFirstEvent();

        long start = System.nanoTime();
        ShutdownOutcome outcome = server.shutdown(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(outcome.drained()).isFalse();
        assertThat(outcome.abandoned()).isEqualTo(1);

        Stream.Result result = stream.finish();
        assertThat(result.done()).as("a cut-off stream does not claim to be complete").isFalse();
        assertThat(result.text()).isNotEqualTo(WORDS);
    }

    @Test
    void anIdleServerStopsAtOnceAndASecondShutdownIsANoOp() {
        ShutdownOutcome first = server.shutdown(Duration.ofSeconds(30));
        assertThat(first.drained()).isTrue();
        assertThat(first.took()).isLessThan(Duration.ofSeconds(10));
        ShutdownOutcome second = server.shutdown(Duration.ofSeconds(30));
        assertThat(second.took()).isEqualTo(Duration.ZERO);
    }

    /** The status line of an HTTP/1.0 GET of {@code path}. */
    private static String http10(int port, String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    /** A streamed chat completion read event by event on a thread of its own. */
    private static final class Stream {
        record Result(int status, String text, boolean done) {
        }

        private final CompletableFuture<Void> firstEvent = new CompletableFuture<>();
        private final CompletableFuture<Result> result;

        private Stream(HttpClient http, int port) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Which class do we fly?\"}]}"))
                    .build();
            result = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).thenApplyAsync(this::read);
        }

        static Stream open(HttpClient http, int port) {
            return new Stream(http, port);
        }

        void awaitFirstEvent() throws Exception {
            CompletableFuture.anyOf(firstEvent, result).get(60, TimeUnit.SECONDS);
            assertThat(firstEvent).as("a first event before the stream ended: " + (result.isDone() ? result.join() : "")).isDone();
        }

        Result finish() throws Exception {
            return result.get(60, TimeUnit.SECONDS);
        }

        private Result read(HttpResponse<InputStream> r) {
            StringBuilder text = new StringBuilder();
            boolean done = false;
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (!line.startsWith("data: ")) continue;
                    String data = line.substring("data: ".length());
                    if (data.equals("[DONE]")) {
                        done = true;
                        continue;
                    }
                    JsonNode chunk = Json.MAPPER.readTree(data);
                    JsonNode content = chunk.at("/choices/0/delta/content");
                    if (content.isTextual()) {
                        text.append(content.asText());
                        firstEvent.complete(null);
                    }
                }
            } catch (java.io.IOException e) {
                // the connection was cut: what arrived so far is the result
            }
            return new Result(r.statusCode(), text.toString().strip(), done);
        }
    }
}
