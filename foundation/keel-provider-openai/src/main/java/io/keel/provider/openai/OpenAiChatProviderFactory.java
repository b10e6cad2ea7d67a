package io.keel.provider.openai;

import io.keel.core.chat.ChatModel;
import io.keel.core.spi.Backend;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;

import java.net.URI;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code provider: openai}: any OpenAI-compatible chat completions server (OpenAI, vLLM, TGI, Ollama, LM Studio).
 * Its health check is {@code GET /models}, which all of them serve; healthy means a 2xx answer.
 */
@Backend(OpenAiChatProviderFactory.NAME)
public final class OpenAiChatProviderFactory implements ChatProviderFactory {
    public static final String NAME = "openai";

    @Override
    public ChatModel create(ChatEndpoint e) {
        return new OpenAiChatModel(new OpenAiConfig(e.url(), e.apiKey(), e.timeout(), OpenAiConfig.Dialect.OPENAI, null,
                Map.of(), e.streamUsage()), e.modelId(), e.params());
    }

    @Override
    public BooleanSupplier probe(ChatEndpoint e) {
        Map<String, String> headers = e.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + e.apiKey());
        return ChatProviderFactory.httpProbe(URI.create(e.url() + "/models"), headers, e.probeTimeout(), s -> s / 100 == 2);
    }
}
