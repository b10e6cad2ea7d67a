package io.keel.provider.openai;

import io.keel.core.chat.ChatModel;
import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backend;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;

import java.net.URI;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code provider: azure-openai}: an Azure OpenAI deployment. The endpoint is the deployment URL and the entry must
 * set {@code api_version}. Its health check is {@code GET /models?api-version=...}; any answer below 500 is healthy.
 */
@Backend(AzureOpenAiChatProviderFactory.NAME)
public final class AzureOpenAiChatProviderFactory implements ChatProviderFactory {
    public static final String NAME = "azure-openai";

    @Override
    public void check(ConfigNode entry) {
        String v = entry.string("api_version", null);
        if (v == null || v.isBlank()) throw entry.error("api_version", "is required for azure-openai (e.g. 2024-10-21)");
    }

    @Override
    public ChatModel create(ChatEndpoint e) {
        return new OpenAiChatModel(new OpenAiConfig(e.url(), e.apiKey(), e.timeout(), OpenAiConfig.Dialect.AZURE,
                e.apiVersion(), Map.of(), e.streamUsage()), e.modelId(), e.params());
    }

    @Override
    public BooleanSupplier probe(ChatEndpoint e) {
        return ChatProviderFactory.httpProbe(URI.create(e.url() + "/models?api-version=" + e.apiVersion()), Map.of(),
                e.probeTimeout(), s -> s < 500);
    }
}
