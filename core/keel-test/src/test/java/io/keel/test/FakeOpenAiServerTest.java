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
}
