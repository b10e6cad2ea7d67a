package io.keel.provider.openai;

import io.keel.core.chat.ChatModel;
import io.keel.test.ChatModelContractTest;
import io.keel.test.FakeHttpServer;
import io.keel.test.FakeOpenAiServer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

class OpenAiChatModelContractTest extends ChatModelContractTest {
    @Override
    protected FakeHttpServer<?> startUpstream() {
        return new FakeOpenAiServer();
    }

    @Override
    protected ChatModel createModel(FakeHttpServer<?> upstream) {
        return new OpenAiChatModel(OpenAiConfig.openAi(URI.create(upstream.baseUri() + "/v1"), "k")
                .withTimeout(Duration.ofSeconds(2)), "m", Map.of());
    }
}
