package io.keel.core.spi;

import io.keel.core.query.SearchHit;

import java.util.List;
import java.util.Objects;

/**
 * What a generator answers from.
 *
 * @param questionVector the question's embedding (may be null when retrieval ran in bm25 mode)
 * @param context        retrieved chunks, best first
 */
public record GenerationRequest(String question, float[] questionVector, List<SearchHit> context) {
    public GenerationRequest {
        Objects.requireNonNull(question, "question");
        context = List.copyOf(context);
    }
}
