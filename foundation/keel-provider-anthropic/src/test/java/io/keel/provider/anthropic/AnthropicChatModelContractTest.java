package io.keel.provider.anthropic;

import io.keel.core.chat.ChatModel;
import io.keel.test.ChatModelContractTest;
import io.keel.test.FakeAnthropicServer;
import io.keel.test.FakeHttpServer;

import java.time.Duration;
import java.util.Map;

class AnthropicChatModelContractTest extends ChatModelContractTest {
    @Override
    protected FakeHttpServer<?> startUpstream() {
        return new FakeAnthropicServer();
    }

    @Override
    protected ChatModel createModel(FakeHttpServer<?> upstream) {
        return new AnthropicChatModel(AnthropicConfig.of(upstream.baseUri(), "k").withTimeout(Duration.ofSeconds(2)),
                "claude", Map.of());
    }
}
