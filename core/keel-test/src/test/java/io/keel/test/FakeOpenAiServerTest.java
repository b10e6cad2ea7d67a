package io.keel.test;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeOpenAiServerTest {
    private final FakeOpenAiServer server = new FakeOpenAiServer();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        server.close();
        client.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void completionCarriesUsageAndRecordsTheRequest() throws Exception {
        server.enqueue(Reply.text("Hello there").withUsage(5, 2));
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"object\":\"chat.completion\"", "\"content\":\"Hello there\"",
                "\"prompt_tokens\":5", "\"completion_tokens\":2", "\"total_tokens\":7", "\"finish_reason\":\"stop\"");
        assertThat(server.requests()).singleElement().satisfies(req -> assertThat(req.json()).containsEntry("model", "m"));
    }

    @Test
    void streamEndsWithUsageChunkAndDoneOnlyWhenAskedForUsage() throws Exception {
        String withUsage = post("/v1/chat/completions", "{\"model\":\"m\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
        assertThat(withUsage).contains("\"object\":\"chat.completion.chunk\"", "\"choices\":[],\"usage\":{\"prompt_tokens\":1")
                .endsWith("data: [DONE]\n\n");
        String without = post("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").body();
        assertThat(without).doesNotContain("\"usage\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void rateLimitCarriesRetryAfterAndOpenAiErrorShape() throws Exception {
        server.enqueue(Reply.rateLimited(Duration.ofSeconds(2)));
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("retry-after")).hasValue("2");
        assertThat(r.body()).contains("\"error\":{", "\"type\":\"rate_limit_error\"");
    }

    @Test
    void missingMessagesIsABadRequest() throws Exception {
        assertThat(post("/v1/chat/completions", "{\"model\":\"m\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void resetMidStreamBreaksTheConnection() throws Exception {
        server.enqueue(Reply.text("one two three four").withResetAfterChunks(2));
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream in = r.body()) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void embeddingsAreDeterministicUnitVectors() throws Exception {
        HttpResponse<String> r = post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a b\",\"c\"]}");
        assertThat(r.body()).contains("\"object\":\"list\"", "\"index\":1", "\"prompt_tokens\":3");
        float[] v = FakeOpenAiServer.vector("a b", 8);
        double norm = 0;
        for (float x : v) norm += x * x;
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void embeddingsBehaveLikeTextEmbeddingsInferenceWhenConfiguredSo() throws Exception {
        server.maxEmbeddingBatch(2).embeddingModel("BAAI/bge-small-en-v1.5").embeddingNorm(3.0)
                .embeddingLatency(Duration.ofMillis(150));
        HttpResponse<String> tooMany = post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\",\"c\"]}");
        assertThat(tooMany.statusCode()).isEqualTo(413);
        assertThat(tooMany.body()).contains("batch size 3 > maximum allowed batch size 2", "\"error_type\":\"Validation\"");

        long start = System.nanoTime();
        HttpResponse<String> ok = post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\"]}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"model\":\"BAAI/bge-small-en-v1.5\"");
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.body());
        double norm = 0;
        for (var x : tree.path("data").path(0).path("embedding")) norm += x.asDouble() * x.asDouble();
        assertThat(Math.sqrt(norm)).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(server.maxConcurrentEmbeddings()).isEqualTo(1);
    }

    @Test
    void scriptedFaultsApplyToEmbeddings() throws Exception {
        server.enqueue(Reply.rateLimited(Duration.ofSeconds(2)), Reply.status(500));
        HttpResponse<String> limited = post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\"]}");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("2");
        assertThat(post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\"]}").statusCode()).isEqualTo(500);
        assertThat(post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\"]}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBatchTakesLongerPerInputAndOneSlotAnswersOneBatchAtATime() throws Exception {
        server.embeddingLatency(Duration.ofMillis(20)).embeddingLatencyPerInput(Duration.ofMillis(30)).embeddingSlots(1);
        long start = System.nanoTime();
        HttpResponse<String> four = post("/v1/embeddings", "{\"model\":\"e\",\"input\":[\"a\",\"b\",\"c\",\"d\"]}");
        assertThat(four.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("20 ms + 4 x 30 ms").isGreaterThanOrEqualTo(Duration.ofMillis(140));

        var calls = new java.util.ArrayList<java.util.concurrent.CompletableFuture<HttpResponse<String>>>();
        for (int i = 0; i < 4; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/embeddings"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"e\",\"input\":[\"x" + i + "\"]}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) assertThat(c.get().statusCode()).isEqualTo(200);
        assertThat(server.maxConcurrentEmbeddings()).as("four requests at once, one slot").isEqualTo(1);
    }
}
