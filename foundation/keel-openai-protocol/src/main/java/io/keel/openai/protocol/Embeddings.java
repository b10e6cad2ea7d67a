package io.keel.openai.protocol;

import java.util.List;

/**
 * Vectors in input order, with the prompt tokens the provider counted (0 when it reported none) and the model name the
 * provider reported in its answer ({@code ""} when it reported none).
 */
public record Embeddings(List<float[]> vectors, long promptTokens, String model) {
    public Embeddings {
        vectors = List.copyOf(vectors);
        model = model == null ? "" : model;
    }

    public Embeddings(List<float[]> vectors, long promptTokens) {
        this(vectors, promptTokens, "");
    }
}
