package io.keel.provider.openai;

import io.keel.core.chat.UpstreamException;
import io.keel.core.error.KeelException;
import io.keel.openai.protocol.Embeddings;
import io.keel.openai.protocol.EmbeddingsCodec;
import io.keel.openai.protocol.RawEmbeddings;
import io.keel.provider.openai.internal.Http;
import io.keel.provider.openai.internal.Http1Client;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Embeddings from an OpenAI-compatible {@code /embeddings} endpoint (OpenAI, Azure OpenAI, vLLM, TEI's OpenAI route,
 * Ollama). One attempt per call. Thread-safe.
 */
public final class OpenAiEmbeddingModel {
    private final OpenAiConfig config;
    private final String modelId;
    private final String name;
    private final Http.Endpoint endpoint;

    public OpenAiEmbeddingModel(OpenAiConfig config, String modelId) {
        this.config = Objects.requireNonNull(config, "config");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.name = "openai-embeddings:" + modelId + "@" + config.baseUrl();
        this.endpoint = new Http.Endpoint(config, "embeddings", name);
    }

    public String name() {
        return name;
    }

    /** Embeds {@code texts}; throws a {@link KeelException} (retryable where retrying can help) on failure. */
    public Embeddings embed(List<String> texts) {
        if (texts.isEmpty()) return new Embeddings(List.of(), 0);
        byte[] body = call(texts);
        try {
            return EmbeddingsCodec.read(body, texts.size(), name);
        } catch (IOException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        }
    }

    /**
     * Embeds {@code texts} for relaying: when the upstream's answer is well-formed, each vector is kept as the JSON
     * text the upstream wrote (checked to be an array of JSON numbers), so a proxy can copy it out without parsing and
     * re-printing hundreds of floats; otherwise the vectors are parsed as by {@link #embed}. Throws as {@link #embed}.
     */
    public RawEmbeddings embedRaw(List<String> texts) {
        if (texts.isEmpty()) return new RawEmbeddings(new Embeddings(List.of(), 0));
        byte[] body = call(texts);
        RawEmbeddings raw = EmbeddingsCodec.scanRaw(body, texts.size());
        if (raw != null) return raw;
        try {
            return new RawEmbeddings(EmbeddingsCodec.read(body, texts.size(), name));
        } catch (IOException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        }
    }

    private byte[] call(List<String> texts) {
        byte[] request = EmbeddingsCodec.writeRequest(config.dialect() != OpenAiConfig.Dialect.AZURE ? modelId : null, texts);
        Http1Client.Response response = endpoint.post(request, false);
        try (response) {
            return response.bodyBytes();
        } catch (IOException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        }
    }
}
