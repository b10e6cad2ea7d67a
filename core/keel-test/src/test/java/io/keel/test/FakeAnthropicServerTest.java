package io.keel.test;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class FakeAnthropicServerTest {
    private final FakeAnthropicServer server = new FakeAnthropicServer();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void close() {
        server.close();
        client.close();
    }

    private HttpResponse<String> post(String body, boolean version) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/messages"))
                .header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(body));
        if (version) b.header("anthropic-version", "2023-06-01");
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void streamFollowsTheEventSequence() throws Exception {
        server.enqueue(Reply.text("Hi you").withUsage(9, 2));
        String body = post("{\"model\":\"claude\",\"max_tokens\":10,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", true).body();
        assertThat(body).containsSubsequence("event: message_start", "\"input_tokens\":9", "event: content_block_start",
                "event: content_block_delta", "\"text\":\"Hi\"", "\"text\":\" you\"", "event: content_block_stop",
                "event: message_delta", "\"output_tokens\":2", "event: message_stop");
    }

    @Test
    void requiresVersionHeaderAndMaxTokensLikeTheRealApi() throws Exception {
        HttpResponse<String> noVersion = post("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", false);
        assertThat(noVersion.statusCode()).isEqualTo(400);
        assertThat(noVersion.body()).contains("\"type\":\"error\"", "anthropic-version");
        assertThat(post("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", true).statusCode())
                .isEqualTo(400);
    }
}
