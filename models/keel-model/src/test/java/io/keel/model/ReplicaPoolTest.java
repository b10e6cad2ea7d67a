package io.keel.model;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordingStreamListener;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicaPoolTest {
    private final FakeOpenAiServer a = new FakeOpenAiServer();
    private final FakeOpenAiServer b = new FakeOpenAiServer();
    private final List<ReplicaPool> pools = new ArrayList<>();
    private static final ChatRequest HELLO = ChatRequest.of("llama", List.of(ChatMessage.user("hello")));

    /** Loads the HTTP and JSON classes once, so the first test's attempts are not timed out by class loading. */
    @org.junit.jupiter.api.BeforeAll
    static void warmUp() {
        try (FakeOpenAiServer warm = new FakeOpenAiServer()) {
            new io.keel.provider.openai.OpenAiChatModel(io.keel.provider.openai.OpenAiConfig.openAi(
                    java.net.URI.create(warm.baseUri() + "/v1"), null), "warm", Map.of()).chat(HELLO);
        }
    }

    @AfterEach
    void close() {
        pools.forEach(ReplicaPool::close);
        a.close();
        b.close();
    }

    private ReplicaPool pool(Map<String, Object> overrides, FakeOpenAiServer... servers) {
        Map<String, Object> m = new java.util.HashMap<>(Map.of("name", "llama", "provider", "openai",
                "endpoints", java.util.Arrays.stream(servers).map(s -> (Object) (s.baseUri() + "/v1")).toList(),
                "timeout", "600ms",
                "retry", Map.of("max_attempts", 3, "backoff", "5ms", "max_backoff", "20ms", "max_retry_after", "1s"),
                "breaker", Map.of("failures", 2, "open_for", "300ms")));
        m.putAll(overrides);
        ReplicaPool p = Providers.pool(ModelConfig.from("models[0]", m), null);
        pools.add(p);
        return p;
    }

    @Test
    void sendsEachRequestToTheReplicaWithFewestInFlight() throws Exception {
        Reply slow = Reply.text("ok").withFirstByteDelay(Duration.ofMillis(250));
        a.defaultReply(slow);
        b.defaultReply(slow);
        ReplicaPool pool = pool(Map.of(), a, b);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ChatResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(ex.submit(() -> pool.chat(HELLO)));
                Thread.sleep(30);
            }
            for (Future<ChatResponse> f : calls) assertThat(f.get().content()).isEqualTo("ok");
        }
        assertThat(a.requests()).hasSize(2);
        assertThat(b.requests()).hasSize(2);
    }

    @Test
    void retriesRetryableFailuresAndPrefersAnUntriedReplica() {
        a.enqueue(Reply.status(503));
        b.enqueue(Reply.status(502));
        ReplicaPool pool = pool(Map.of(), a, b);
        ChatResponse r = pool.chat(HELLO);
        assertThat(r.content()).isEqualTo("Hello from the fake model.");
        assertThat(a.requests().size() + b.requests().size()).isEqualTo(3);
        assertThat(a.requests()).isNotEmpty();
        assertThat(b.requests()).isNotEmpty();
    }

    @Test
    void neverRetriesABadRequest() {
        a.enqueue(Reply.status(400, "bad 'temperature'"));
        ReplicaPool pool = pool(Map.of(), a);
        assertThatThrownBy(() -> pool.chat(HELLO)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void honoursRetryAfter() {
        a.enqueue(Reply.rateLimited(Duration.ofMillis(300)));
        ReplicaPool pool = pool(Map.of(), a);
        long start = System.nanoTime();
        assertThat(pool.chat(HELLO).content()).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(a.requests()).hasSize(2);
    }

    @Test
    void retryAfterLongerThanAllowedFailsFastWithTheRateLimit() {
        a.enqueue(Reply.rateLimited(Duration.ofSeconds(30)));
        ReplicaPool pool = pool(Map.of(), a);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.chat(HELLO)).isInstanceOfSatisfying(UpstreamException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void timedOutAttemptIsRetriedOnAnotherReplica() {
        a.defaultReply(Reply.hang());
        ReplicaPool pool = pool(Map.of(), a, b);
        for (int i = 0; i < 3; i++) assertThat(pool.chat(HELLO).content()).isNotEmpty();
        assertThat(b.requests()).hasSize(3);
        assertThat(a.requests()).hasSizeLessThanOrEqualTo(2);
    }

    @Test
    void ejectsAFailingReplicaAndLetsItBackAfterAHalfOpenTrial() throws Exception {
        a.defaultReply(Reply.status(500));
        ReplicaPool pool = pool(Map.of(), a, b);
        for (int i = 0; i < 60 && a.requests().size() < 2; i++) assertThat(pool.chat(HELLO).content()).isNotEmpty();
        assertThat(a.requests()).hasSize(2);
        assertThat(pool.replicas().getFirst().state()).isEqualTo(Replica.State.OPEN);
        for (int i = 0; i < 10; i++) assertThat(pool.chat(HELLO).content()).isNotEmpty();
        assertThat(a.requests()).as("an open breaker keeps traffic away").hasSize(2);

        a.defaultReply(Reply.text("recovered"));
        Thread.sleep(350);
        assertThat(pool.replicas().getFirst().state()).isEqualTo(Replica.State.HALF_OPEN);
        // the balancer picks between the two at random: go on until the half-open replica got its trial
        for (int i = 0; i < 200 && a.requests().size() == 2; i++) pool.chat(HELLO);
        assertThat(a.requests()).hasSizeGreaterThan(2);
        assertThat(pool.replicas().getFirst().state()).as("a successful trial closes the breaker").isEqualTo(Replica.State.CLOSED);
    }

    @Test
    void allReplicasEjectedFailsFastAsUnavailable() {
        a.defaultReply(Reply.status(500));
        ReplicaPool pool = pool(Map.of("breaker", Map.of("failures", 1, "open_for", "10s")), a);
        assertThatThrownBy(() -> pool.chat(HELLO)).isInstanceOf(UpstreamException.class);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.chat(HELLO)).isInstanceOfSatisfying(UpstreamException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("no replica of model 'llama' is available");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(200));
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void activeHealthCheckReadmitsAnEjectedReplica() throws Exception {
        a.enqueue(Reply.status(500));
        ReplicaPool pool = pool(Map.of("breaker", Map.of("failures", 1, "open_for", "1h"),
                "health_check", Map.of("interval", "50ms")), a, b);
        pool.chat(HELLO);
        Thread.sleep(200);
        assertThat(pool.replicas().getFirst().state()).isEqualTo(Replica.State.CLOSED);
        assertThat(a.requests("/models")).isNotEmpty();
    }

    @Test
    void streamIsRetriedOnlyBeforeTheFirstToken() {
        a.enqueue(Reply.resetBeforeResponse(), Reply.text("fine"));
        ReplicaPool pool = pool(Map.of(), a);
        RecordingStreamListener first = new RecordingStreamListener();
        pool.stream(HELLO, first);
        assertThat(first.completed.content()).isEqualTo("fine");
        assertThat(first.terminals).isEqualTo(1);
        assertThat(a.requests()).hasSize(2);

        a.enqueue(Reply.text("x y z").withResetAfterChunks(1));

        RecordingStreamListener second = new RecordingStreamListener();
        pool.stream(HELLO, second);
        assertThat(second.completed).isNull();
        assertThat(second.tokens).containsExactly("x");
        assertThat(second.error).isInstanceOf(StreamFailedException.class);
        assertThat(a.requests()).hasSize(3);
    }
}
