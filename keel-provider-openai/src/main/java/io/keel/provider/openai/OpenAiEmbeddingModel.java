package io.keel.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.KeelException;
import io.keel.provider.openai.internal.Http;
import io.keel.provider.openai.internal.Http1Client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

    /** Vectors in input order, with the prompt tokens the provider counted (0 when it reported none). */
    public record Embeddings(List<float[]> vectors, long promptTokens) {
        public Embeddings {
            vectors = List.copyOf(vectors);
        }
    }

    /** Embeds {@code texts}; throws a {@link KeelException} (retryable where retrying can help) on failure. */
    public Embeddings embed(List<String> texts) {
        if (texts.isEmpty()) return new Embeddings(List.of(), 0);
        ObjectNode body = OpenAiCodec.JSON.createObjectNode();
        if (config.dialect() != OpenAiConfig.Dialect.AZURE) body.put("model", modelId);
        texts.forEach(body.putArray("input")::add);
        body.put("encoding_format", "float");
        Http1Client.Response response = endpoint.post(OpenAiCodec.toJson(body).getBytes(StandardCharsets.UTF_8), false);
        try (response; InputStream in = response.body()) {
            return parse(in.readAllBytes(), texts.size());
        } catch (IOException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        }
    }

    /** Reads the response with the streaming parser: vectors go straight into float arrays, no tree in between. */
    private Embeddings parse(byte[] body, int expected) throws IOException {
        float[][] out = new float[expected][];
        long promptTokens = 0;
        int seen = 0;
        try (JsonParser p = OpenAiCodec.JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw UpstreamException.malformed(name, "not a JSON object", null);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "data" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) throw UpstreamException.malformed(name, "'data' is not an array", null);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int index = -1;
                            float[] vector = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("index")) {
                                    index = p.getIntValue();
                                } else if (f.equals("embedding") && p.currentToken() == JsonToken.START_ARRAY) {
                                    vector = readVector(p);
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (index < 0 || index >= expected || vector == null || out[index] != null) {
                                throw UpstreamException.malformed(name, "embedding item without a valid index and vector", null);
                            }
                            out[index] = vector;
                            seen++;
                        }
                    }
                    case "usage" -> {
                        if (p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if (f.equals("prompt_tokens")) promptTokens = p.getLongValue();
                                else p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (seen != expected) throw UpstreamException.malformed(name, "expected " + expected + " embeddings, got " + seen, null);
        return new Embeddings(List.of(out), promptTokens);
    }

    private static float[] readVector(JsonParser p) throws IOException {
        float[] v = new float[512];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == v.length) v = java.util.Arrays.copyOf(v, n * 2);
            v[n++] = p.getFloatValue();
        }
        return n == v.length ? v : java.util.Arrays.copyOf(v, n);
    }
}
