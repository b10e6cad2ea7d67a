package io.keel.model;

import io.keel.core.chat.ChatModel;
import io.keel.core.spi.Backends;
import io.keel.core.spi.ChatEndpoint;
import io.keel.core.spi.ChatProviderFactory;
import io.keel.provider.openai.OpenAiConfig;
import io.keel.provider.openai.OpenAiEmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Builds replica pools from {@link ModelConfig}: each endpoint's client comes from the {@link ChatProviderFactory}
 * named by the entry's {@code provider}; embedding pools use the OpenAI-compatible embeddings client.
 */
public final class Providers {
    private Providers() {
    }

    /** A pool with one replica per configured endpoint. */
    public static ReplicaPool pool(ModelConfig config, String apiKey) {
        List<Replica<ChatModel>> replicas = replicas(config, apiKey, e -> chatModel(config, e, apiKey), ChatModel::name);
        return new ReplicaPool(config.name(), replicas, config.retry(), config.healthCheck());
    }

    /** The replicas of an {@code embedding} model: one client per endpoint, with the model's retry and breaker policies. */
    public static EmbeddingPool embeddingPool(ModelConfig config, String apiKey) {
        List<Replica<OpenAiEmbeddingModel>> replicas = replicas(config, apiKey, e -> embeddingModel(config, e, apiKey),
                OpenAiEmbeddingModel::name);
        return new EmbeddingPool(config.name(), replicas, config.retry(), config.healthCheck());
    }

    /** One replica per configured endpoint, each with the model's health probe (when configured) and breaker policy. */
    private static <M> List<Replica<M>> replicas(ModelConfig config, String apiKey, Function<EndpointConfig, M> client,
                                                 Function<M, String> name) {
        List<Replica<M>> replicas = new ArrayList<>();
        for (EndpointConfig e : config.endpoints()) {
            M model = client.apply(e);
            replicas.add(new Replica<>(model, name.apply(model),
                    config.healthCheck() == null ? null : probe(config, e, apiKey), config.breaker()));
        }
        return replicas;
    }

    /** The embeddings client for one endpoint. */
    static OpenAiEmbeddingModel embeddingModel(ModelConfig config, EndpointConfig e, String apiKey) {
        OpenAiConfig.Dialect dialect = config.provider().equals("azure-openai") ? OpenAiConfig.Dialect.AZURE : OpenAiConfig.Dialect.OPENAI;
        return new OpenAiEmbeddingModel(new OpenAiConfig(e.url(), apiKey, config.timeout(), dialect, config.apiVersion(),
                Map.of(), true), config.modelId());
    }

    /** The adapter for one endpoint, built by the {@link ChatProviderFactory} the entry's {@code provider} names. */
    public static ChatModel chatModel(ModelConfig config, EndpointConfig endpoint, String apiKey) {
        return factory(config).create(endpoint(config, endpoint, apiKey));
    }

    /** The active health check of an endpoint, as its provider defines it (see {@link ChatProviderFactory#probe}). */
    static BooleanSupplier probe(ModelConfig config, EndpointConfig endpoint, String apiKey) {
        return factory(config).probe(endpoint(config, endpoint, apiKey));
    }

    static ChatProviderFactory factory(ModelConfig config) {
        return Backends.find(ChatProviderFactory.class, config.provider(), "model '" + config.name() + "' provider");
    }

    private static ChatEndpoint endpoint(ModelConfig config, EndpointConfig endpoint, String apiKey) {
        return new ChatEndpoint(endpoint.url(), apiKey, config.modelId(), config.params(), config.timeout(),
                config.apiVersion(), config.streamUsage());
    }
}
