package io.keel.openai.protocol;

import java.util.List;

/** Vectors in input order, with the prompt tokens the provider counted (0 when it reported none). */
public record Embeddings(List<float[]> vectors, long promptTokens) {
    public Embeddings {
        vectors = List.copyOf(vectors);
    }
}
