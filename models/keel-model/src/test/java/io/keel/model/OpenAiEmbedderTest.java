package io.keel.model;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.provider.openai.OpenAiEmbedder;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batching, resilience and identity of the remote embedder over the gateway's replica pool. */
class OpenAiEmbedderTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private FakeOpenAiServer server() {
        FakeOpenAiServer s = new FakeOpenAiServer().embeddingDimensions(16);
        open.add(s);
        return s;
    }

    private static String url(FakeOpenAiServer s) {
        return s.baseUri() + "/v1";
    }

    private OpenAiEmbedder create(Map<String, Object> embedding, Map<String, String> env) {
        Map<String, Object> m = new HashMap<>(embedding);
        m.putIfAbsent("model", "bge-small");
        ConfigNode section = ConfigNode.root(Map.of("embedding", m), Map.of()).child("embedding");
        OpenAiEmbedder e = (OpenAiEmbedder) new OpenAiEmbedderFactory(env::get).create(section);
        open.add(e);
        return e;
    }

    private OpenAiEmbedder create(Map<String, Object> embedding) {
        return create(embedding, Map.of());
    }

    private static List<String> texts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add("passage number " + i + " about topic " + (i * 7 % 11));
        return out;
    }

    private static int inputs(RecordedRequest r) {
        return ((List<?>) r.json().get("input")).size();
    }

    @Test
    void bigCallsAreSplitIntoBatchesThatRunOnSeveralReplicasAtOnce() {
        FakeOpenAiServer a = server().embeddingLatency(Duration.ofMillis(300));
        FakeOpenAiServer b = server().embeddingLatency(Duration.ofMillis(300));
        OpenAiEmbedder e = create(Map.of("endpoints", List.of(url(a), url(b)), "max_batch_size", 8, "concurrency", 4));
        a.reset();
        b.reset();
        long start = System.nanoTime();
        List<float[]> vectors = e.embedAll(texts(64));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(vectors).hasSize(64);
        List<RecordedRequest> sent = new ArrayList<>(a.requests("/embeddings"));
        sent.addAll(b.requests("/embeddings"));
        assertThat(sent).hasSize(8).allSatisfy(r -> assertThat(inputs(r)).isEqualTo(8));
        assertThat(a.requests("/embeddings")).as("both replicas served batches").isNotEmpty();
        assertThat(b.requests("/embeddings")).isNotEmpty();
        assertThat(a.maxConcurrentEmbeddings() + b.maxConcurrentEmbeddings()).isGreaterThanOrEqualTo(3);
        // 8 batches of 300 ms one after another would take 2.4 s; four at a time take about 0.6 s.
        assertThat(took).isLessThan(Duration.ofMillis(1800));
        for (int i = 0; i < 64; i += 9) assertThat(vectors.get(i)).isEqualTo(e.embedQuery(texts(64).get(i)));
    }

    @Test
    void aServersBatchLimitAnsweredWith413HalvesTheBatchesAndIsRemembered() {
        FakeOpenAiServer s = server().maxEmbeddingBatch(5);
        OpenAiEmbedder e = create(Map.of("endpoints", url(s), "max_batch_size", 32));
        List<float[]> vectors = e.embedAll(texts(20));
        assertThat(vectors).hasSize(20);
        assertThat(e.batchLimit()).as("32 -> 20 refused -> 10 refused -> 5 accepted").isEqualTo(5);
        for (int i = 0; i < 20; i++) assertThat(vectors.get(i)).isEqualTo(e.embedQuery(texts(20).get(i)));
        s.reset();
        e.embedAll(texts(12));
        assertThat(s.requests("/embeddings").stream().map(OpenAiEmbedderTest::inputs)).containsExactlyInAnyOrder(5, 5, 2);
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedWithBackoff() {
        FakeOpenAiServer s = server();
        OpenAiEmbedder e = create(Map.of("endpoints", url(s), "retry", Map.of("max_attempts", 3, "backoff", "10ms")));
        s.reset();
        s.enqueue(Reply.rateLimited(Duration.ofMillis(300)), Reply.status(500));
        long start = System.nanoTime();
        float[] v = e.embedQuery("retried text");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited out Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(v).hasSize(16);
        assertThat(s.requests("/embeddings")).hasSize(3);

        s.enqueue(Reply.status(503), Reply.status(503), Reply.status(503));
        assertThatThrownBy(() -> e.embedQuery("given up")).isInstanceOf(KeelException.class)
                .satisfies(t -> assertThat(((KeelException) t).code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void aHangingServerTimesOutAndTheRequestGoesToAnotherReplica() {
        FakeOpenAiServer a = server();
        FakeOpenAiServer b = server();
        OpenAiEmbedder e = create(Map.of("endpoints", List.of(url(a), url(b)), "timeout", "300ms",
                "retry", Map.of("max_attempts", 2, "backoff", "1ms")));
        a.enqueue(Reply.hang());
        b.enqueue(Reply.hang());
        long start = System.nanoTime();
        // Each replica hangs once, then answers: the first attempt times out, the second (on the other replica) hangs
        // too, so the call fails with a time-out after about two attempts' worth of waiting.
        assertThatThrownBy(() -> e.embedQuery("slow")).isInstanceOf(KeelException.class)
                .satisfies(t -> assertThat(((KeelException) t).code()).isEqualTo(ErrorCode.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(550));
        assertThat(e.embedQuery("fast now")).hasSize(16);
    }

    @Test
    void anUnreachableEndpointIsSkipped() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        FakeOpenAiServer live = server();
        OpenAiEmbedder e = create(Map.of("endpoints", List.of("http://127.0.0.1:" + dead + "/v1", url(live)),
                "retry", Map.of("max_attempts", 3, "backoff", "1ms")));
        for (int i = 0; i < 10; i++) assertThat(e.embedQuery("text " + i)).hasSize(16);
    }

    @Test
    void theApiKeyComesFromTheEnvironmentVariableTheConfigurationNames() {
        FakeOpenAiServer s = server();
        create(Map.of("endpoints", url(s), "api_key_env", "EMBED_KEY"), Map.of("EMBED_KEY", "sk-test-123"));
        assertThat(s.requests("/embeddings").getFirst().header("authorization")).isEqualTo("Bearer sk-test-123");

        assertThatThrownBy(() -> create(Map.of("endpoints", url(s), "api_key_env", "MISSING_KEY")))
                .isInstanceOf(KeelException.class).hasMessageContaining("embedding.api_key_env").hasMessageContaining("MISSING_KEY");
    }

    @Test
    void azureDeploymentsGetTheApiVersionAndKeyHeader() {
        FakeOpenAiServer s = server();
        OpenAiEmbedder e = create(Map.of("endpoints", s.baseUri() + "/openai/deployments/embed-small", "api", "azure",
                "api_version", "2024-10-21", "api_key_env", "AZ"), Map.of("AZ", "az-key"));
        RecordedRequest r = s.requests("/embeddings").getFirst();
        assertThat(r.queryParam("api-version")).isEqualTo("2024-10-21");
        assertThat(r.header("api-key")).isEqualTo("az-key");
        assertThat(r.json()).doesNotContainKey("model");
        assertThat(e.reportedModel()).isEqualTo("embed-small");
    }

    @Test
    void theFingerprintIdentifiesConfiguredModelReportedModelAndDimension() {
        FakeOpenAiServer s = server().embeddingModel("BAAI/bge-small-en-v1.5");
        OpenAiEmbedder first = create(Map.of("endpoints", url(s)));
        OpenAiEmbedder again = create(Map.of("endpoints", url(s)));
        assertThat(again.info()).isEqualTo(first.info());
        assertThat(first.info().id()).isEqualTo("bge-small");
        assertThat(first.info().fingerprint()).startsWith("bge-small@");
        assertThat(first.info().maxTokens()).isEqualTo(512);

        OpenAiEmbedder otherName = create(Map.of("endpoints", url(s), "model", "bge-base"));
        s.embeddingModel("BAAI/bge-large-en-v1.5");
        OpenAiEmbedder otherServed = create(Map.of("endpoints", url(s)));
        s.embeddingDimensions(24);
        OpenAiEmbedder otherDims = create(Map.of("endpoints", url(s)));
        assertThat(List.of(first.info().fingerprint(), otherName.info().fingerprint(), otherServed.info().fingerprint(),
                otherDims.info().fingerprint())).doesNotHaveDuplicates();
        assertThat(otherDims.info().dimensions()).isEqualTo(24);
    }

    @Test
    void aServerThatSwitchesModelsIsRefusedRatherThanMixed() {
        FakeOpenAiServer s = server().embeddingModel("model-a");
        OpenAiEmbedder e = create(Map.of("endpoints", url(s)));
        s.embeddingModel("model-b");
        assertThatThrownBy(() -> e.embedAll(List.of("x", "y"))).isInstanceOf(KeelException.class)
                .hasMessageContaining("model-b").hasMessageContaining("model-a")
                .satisfies(t -> assertThat(((KeelException) t).code()).isEqualTo(ErrorCode.MODEL_MISMATCH));
    }

    @Test
    void aConfiguredDimensionIsChecked() {
        FakeOpenAiServer s = server();
        assertThatThrownBy(() -> create(Map.of("endpoints", url(s), "dimensions", 12)))
                .isInstanceOf(KeelException.class).hasMessageContaining("embedding.dimensions").hasMessageContaining("16");
        assertThat(create(Map.of("endpoints", url(s), "dimensions", 16)).info().dimensions()).isEqualTo(16);
    }

    @Test
    void overLongTextIsCutToTheWindowBeforeSendingAndEmptyTextSentAsASpace() {
        FakeOpenAiServer s = server();
        OpenAiEmbedder e = create(Map.of("endpoints", url(s), "max_input_tokens", 50, "chars_per_token", 2.0));
        s.reset();
        e.embedAll(List.of("word ".repeat(1000), ""));
        List<?> input = (List<?>) s.requests("/embeddings").getFirst().json().get("input");
        assertThat((String) input.get(0)).hasSize(96);
        assertThat(e.tokenCounter().countTokens((String) input.get(0))).isLessThanOrEqualTo(50);
        assertThat(input.get(1)).isEqualTo(" ");
    }

    @Test
    void configurationErrorsNameTheKey() {
        FakeOpenAiServer s = server();
        assertThatThrownBy(() -> create(Map.of("endpoints", url(s), "model", " "))).hasMessageContaining("embedding.model");
        assertThatThrownBy(() -> create(Map.of())).hasMessageContaining("embedding.endpoints");
        assertThatThrownBy(() -> create(Map.of("endpoints", "ftp://x"))).hasMessageContaining("embedding.endpoints");
        assertThatThrownBy(() -> create(Map.of("endpoints", url(s), "api", "azure"))).hasMessageContaining("embedding.api_version");
        assertThatThrownBy(() -> create(Map.of("endpoints", url(s), "max_batch_size", 0))).hasMessageContaining("embedding.max_batch_size");
    }

    @Test
    void anUnreachableServerAtStartIsAClearError() throws Exception {
        int dead;
        try (ServerSocket sock = new ServerSocket(0)) {
            dead = sock.getLocalPort();
        }
        assertThatThrownBy(() -> create(Map.of("endpoints", "http://127.0.0.1:" + dead + "/v1", "retry", Map.of("backoff", "1ms"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("cannot start the remote embedder")
                .hasMessageContaining("embedding.endpoints");
    }

    @Test
    void queryVectorsAreCachedUnlessTheCacheIsOff() {
        FakeOpenAiServer s = server();
        OpenAiEmbedder cached = create(Map.of("endpoints", url(s), "cache_size", 2));
        s.reset();
        float[] first = cached.embedQuery("same question");
        first[0] = 42f; // a caller's change does not reach the cache
        assertThat(cached.embedQuery("same question")).isNotEqualTo(first).hasSize(16);
        assertThat(s.requests("/embeddings")).hasSize(1);
        cached.embedQuery("second");
        cached.embedQuery("third"); // evicts "same question", the least recently used
        cached.embedQuery("same question");
        assertThat(s.requests("/embeddings")).hasSize(4);

        OpenAiEmbedder uncached = create(Map.of("endpoints", url(s), "cache_size", 0));
        s.reset();
        uncached.embedQuery("same question");
        uncached.embedQuery("same question");
        assertThat(s.requests("/embeddings")).hasSize(2);
    }
}
