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
 * @param settings       what this request changes of the generator's configuration (an experiment variant's model,
 *                       prompt, temperature, length); {@link GenerationSettings#CONFIGURED} for none
 */
public record GenerationRequest(String question, float[] questionVector, List<SearchHit> context, Caller caller,
                                GenerationSettings settings) {
    public GenerationRequest {
        Objects.requireNonNull(question, "question");
        context = List.copyOf(context);
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        settings = Objects.requireNonNullElse(settings, GenerationSettings.CONFIGURED);
    }

    public GenerationRequest(String question, float[] questionVector, List<SearchHit> context, Caller caller) {
        this(question, questionVector, context, caller, GenerationSettings.CONFIGURED);
    }

    public GenerationRequest(String question, float[] questionVector, List<SearchHit> context) {
        this(question, questionVector, context, Caller.ANONYMOUS);
    }
}
