package io.keel.core.spi;

import io.keel.core.answer.Caller;
import io.keel.core.query.SearchHit;

import java.util.List;
import java.util.Objects;

/**
 * What a generator answers from.
 *
 * @param questionVector the question's embedding (may be null when retrieval ran in bm25 mode)
 * @param context        retrieved chunks, best first
 * @param caller         who asked, for budgets and attribution
 */
public record GenerationRequest(String question, float[] questionVector, List<SearchHit> context, Caller caller) {
    public GenerationRequest {
        Objects.requireNonNull(question, "question");
        context = List.copyOf(context);
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
    }

    public GenerationRequest(String question, float[] questionVector, List<SearchHit> context) {
        this(question, questionVector, context, Caller.ANONYMOUS);
    }
}
