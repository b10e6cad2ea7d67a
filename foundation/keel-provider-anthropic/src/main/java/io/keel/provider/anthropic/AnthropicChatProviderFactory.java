package io.keel.provider.anthropic;

import io.keel.core.chat.ChatModel;
import io.keel.core.spi.Backend;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;

/**
 * {@code provider: anthropic}: the Anthropic Messages API. Requests that set no {@code max_tokens} ask for 4096 (the
 * API requires one). Its health check is the default one: any answer below 500 from the API root.
 */
@Backend(AnthropicChatProviderFactory.NAME)
public final class AnthropicChatProviderFactory implements ChatProviderFactory {
    public static final String NAME = "anthropic";

    @Override
    public ChatModel create(ChatEndpoint e) {
        return new AnthropicChatModel(new AnthropicConfig(e.url(), e.apiKey() == null ? "" : e.apiKey(),
                AnthropicConfig.DEFAULT_VERSION, e.timeout(), 4096), e.modelId(), e.params());
    }
}
