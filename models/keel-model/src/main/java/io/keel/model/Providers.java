package io.keel.model;

import io.keel.core.chat.ChatModel;
import io.keel.provider.anthropic.AnthropicChatModel;
import io.keel.provider.anthropic.AnthropicConfig;
import io.keel.provider.openai.OpenAiChatModel;
import io.keel.provider.openai.OpenAiConfig;
import io.keel.provider.openai.OpenAiEmbeddingModel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Builds provider adapters and replica pools from {@link ModelConfig}. */
public final class Providers {
    private static final HttpClient PROBES = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private Providers() {
    }

    /** A pool with one replica per configured endpoint. */
    public static ReplicaPool pool(ModelConfig config, String apiKey) {
        List<Replica<ChatModel>> replicas = new ArrayList<>();
        for (EndpointConfig e : config.endpoints()) {
            ChatModel model = chatModel(config, e, apiKey);
            replicas.add(new Replica<>(model, model.name(),
                    config.healthCheck() == null ? null : probe(config, e, apiKey), config.breaker()));
        }
        return new ReplicaPool(config.name(), replicas, config.retry(), config.healthCheck());
    }

    /** The replicas of an {@code embedding} model: one client per endpoint, with the model's retry and breaker policies. */
    public static EmbeddingPool embeddingPool(ModelConfig config, String apiKey) {
        List<Replica<OpenAiEmbeddingModel>> replicas = new ArrayList<>();
        for (EndpointConfig e : config.endpoints()) {
            OpenAiEmbeddingModel model = embeddingModel(config, e, apiKey);
            replicas.add(new Replica<>(model, model.name(),
                    config.healthCheck() == null ? null : probe(config, e, apiKey), config.breaker()));
        }
        return new EmbeddingPool(config.name(), replicas, config.retry(), config.healthCheck());
    }

    /** The embeddings client for one endpoint. */
    static OpenAiEmbeddingModel embeddingModel(ModelConfig config, EndpointConfig e, String apiKey) {
        OpenAiConfig.Dialect dialect = config.provider().equals("azure-openai") ? OpenAiConfig.Dialect.AZURE : OpenAiConfig.Dialect.OPENAI;
        return new OpenAiEmbeddingModel(new OpenAiConfig(e.url(), apiKey, config.timeout(), dialect, config.apiVersion(),
                Map.of(), true), config.modelId());
    }

    /** The adapter for one endpoint. */
    public static ChatModel chatModel(ModelConfig config, EndpointConfig endpoint, String apiKey) {
        Map<String, Object> params = config.params();
        return switch (config.provider()) {
            case "openai" -> new OpenAiChatModel(new OpenAiConfig(endpoint.url(), apiKey, config.timeout(),
                    OpenAiConfig.Dialect.OPENAI, null, Map.of(), config.streamUsage()), config.modelId(), params);
            case "azure-openai" -> new OpenAiChatModel(new OpenAiConfig(endpoint.url(), apiKey, config.timeout(),
                    OpenAiConfig.Dialect.AZURE, config.apiVersion(), Map.of(), config.streamUsage()), config.modelId(), params);
            case "anthropic" -> new AnthropicChatModel(new AnthropicConfig(endpoint.url(), apiKey == null ? "" : apiKey,
                    AnthropicConfig.DEFAULT_VERSION, config.timeout(), 4096), config.modelId(), params);
            default -> throw new IllegalArgumentException("unknown provider '" + config.provider() + "'");
        };
    }

    /**
     * The active health check of an endpoint: {@code GET /models} for OpenAI-compatible servers (vLLM, TGI, Ollama and
     * OpenAI all serve it), any HTTP answer below 500 from Anthropic's API root. Healthy means answered in time.
     */
    static BooleanSupplier probe(ModelConfig config, EndpointConfig endpoint, String apiKey) {
        URI uri = switch (config.provider()) {
            case "openai" -> URI.create(endpoint.url() + "/models");
            case "azure-openai" -> URI.create(endpoint.url() + "/models?api-version=" + config.apiVersion());
            default -> endpoint.url();
        };
        Duration timeout = config.timeout().compareTo(Duration.ofSeconds(5)) < 0 ? config.timeout() : Duration.ofSeconds(5);
        return () -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
            if (apiKey != null && config.provider().equals("openai")) b.header("Authorization", "Bearer " + apiKey);
            try {
                HttpResponse<Void> r = PROBES.send(b.build(), HttpResponse.BodyHandlers.discarding());
                return config.provider().equals("openai") ? r.statusCode() / 100 == 2 : r.statusCode() < 500;
            } catch (java.io.IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        };
    }
}
