package io.keel.provider.openai;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Backends;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The module's providers are found by name and build clients and health checks that speak their dialect. */
class ChatProviderFactoryTest {
    private static final ChatRequest HELLO = ChatRequest.of("gpt", List.of(ChatMessage.user("hello")));

    private static ChatEndpoint endpoint(URI url, String key, String apiVersion) {
        return new ChatEndpoint(url, key, "gpt-4o-mini", Map.of("temperature", 0.2), Duration.ofSeconds(5), apiVersion, true);
    }

    @Test
    void bothProvidersAreFoundByName() {
        assertThat(Backends.names(ChatProviderFactory.class)).contains("openai", "azure-openai");
        assertThat(Backends.find(ChatProviderFactory.class, "openai", "provider")).isInstanceOf(OpenAiChatProviderFactory.class);
        assertThat(Backends.find(ChatProviderFactory.class, "azure-openai", "provider")).isInstanceOf(AzureOpenAiChatProviderFactory.class);
    }

    @Test
    void openAiSendsTheModelIdTheDefaultsAndABearerKeyAndProbesModels() {
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(Reply.text("hi"));
            ChatProviderFactory f = new OpenAiChatProviderFactory();
            ChatModel model = f.create(endpoint(URI.create(server.baseUri() + "/v1"), "sk-1", null));
            assertThat(model.chat(HELLO).content()).isEqualTo("hi");
            RecordedRequest sent = server.requests().getFirst();
            assertThat(sent.path()).isEqualTo("/v1/chat/completions");
            assertThat(sent.json()).containsEntry("model", "gpt-4o-mini").containsEntry("temperature", 0.2);
            assertThat(sent.header("Authorization")).isEqualTo("Bearer sk-1");

            assertThat(f.probe(endpoint(URI.create(server.baseUri() + "/v1"), "sk-1", null)).getAsBoolean()).isTrue();
            assertThat(server.requests("/v1/models")).singleElement()
                    .satisfies(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer sk-1"));
        }
        assertThat(new OpenAiChatProviderFactory().probe(endpoint(URI.create("http://127.0.0.1:1/v1"), null, null))
                .getAsBoolean()).as("an endpoint that does not answer").isFalse();
    }

    @Test
    void azureNeedsAnApiVersionAndSendsItWithTheKeyHeader() {
        ChatProviderFactory f = new AzureOpenAiChatProviderFactory();
        assertThatThrownBy(() -> f.check(ConfigNode.detached("models[0]", Map.of("provider", "azure-openai"))))
                .isInstanceOf(KeelException.class)
                .hasMessageStartingWith("configuration key 'models[0].api_version' is required for azure-openai");
        f.check(ConfigNode.detached("models[0]", Map.of("provider", "azure-openai", "api_version", "2024-10-21")));
        try (FakeOpenAiServer server = new FakeOpenAiServer()) {
            server.enqueue(Reply.text("hi"));
            URI deployment = URI.create(server.baseUri() + "/openai/deployments/gpt4o");
            ChatModel model = f.create(endpoint(deployment, "az-1", "2024-10-21"));
            assertThat(model.chat(HELLO).content()).isEqualTo("hi");
            RecordedRequest sent = server.requests().getFirst();
            assertThat(sent.path()).isEqualTo("/openai/deployments/gpt4o/chat/completions");
            assertThat(sent.queryParam("api-version")).isEqualTo("2024-10-21");
            assertThat(sent.header("api-key")).isEqualTo("az-1");
            assertThat(f.probe(endpoint(deployment, "az-1", "2024-10-21")).getAsBoolean()).isTrue();
            assertThat(server.requests("/models")).singleElement()
                    .satisfies(r -> assertThat(r.queryParam("api-version")).isEqualTo("2024-10-21"));
        }
    }
}
