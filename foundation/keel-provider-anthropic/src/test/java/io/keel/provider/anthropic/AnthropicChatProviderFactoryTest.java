package io.keel.provider.anthropic;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.spi.Backends;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;
import io.keel.test.FakeAnthropicServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code provider: anthropic} is found by name and builds a Messages API client and its health check. */
class AnthropicChatProviderFactoryTest {
    @Test
    void buildsAMessagesClientWithTheKeyAndADefaultMaxTokens() {
        ChatProviderFactory f = Backends.find(ChatProviderFactory.class, "anthropic", "models[0].provider");
        assertThat(f).isInstanceOf(AnthropicChatProviderFactory.class);
        try (FakeAnthropicServer server = new FakeAnthropicServer()) {
            server.enqueue(Reply.text("hello"));
            ChatEndpoint e = new ChatEndpoint(server.baseUri(), "sk-ant", "claude-sonnet-4", Map.of(), Duration.ofSeconds(5), null, true);
            assertThat(f.create(e).chat(ChatRequest.of("claude", List.of(ChatMessage.user("hi")))).content()).isEqualTo("hello");
            RecordedRequest sent = server.requests().getFirst();
            assertThat(sent.path()).isEqualTo("/v1/messages");
            assertThat(sent.header("x-api-key")).isEqualTo("sk-ant");
            assertThat(sent.json()).containsEntry("model", "claude-sonnet-4").containsEntry("max_tokens", 4096);
            assertThat(f.probe(e).getAsBoolean()).as("any answer below 500 from the API root").isTrue();
        }
        ChatEndpoint down = new ChatEndpoint(URI.create("http://127.0.0.1:1"), null, "m", Map.of(), Duration.ofSeconds(1), null, true);
        assertThat(f.probe(down).getAsBoolean()).isFalse();
    }
}
