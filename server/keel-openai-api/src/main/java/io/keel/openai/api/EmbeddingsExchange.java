package io.keel.openai.api;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;
import io.keel.core.pipeline.RouteRequest;
import io.keel.core.pipeline.Trail;

import java.time.Instant;
import java.util.List;

/**
 * An embeddings request on its way through the {@code /v1/embeddings} route's pipeline. Its texts are neither guarded
 * nor logged: an embedding call stores nothing and answers with vectors, so only who asked, the model and the tokens
 * are recorded.
 */
record EmbeddingsExchange(String id, String route, Instant received, Caller caller, Timings.Recorder timings, Trail trail,
                          String model, List<String> texts) implements RouteRequest<EmbeddingsExchange> {
    EmbeddingsExchange {
        texts = List.copyOf(texts);
    }

    @Override
    public String guardedText() {
        return null;
    }

    @Override
    public EmbeddingsExchange copyAs(String newId) {
        return new EmbeddingsExchange(newId, route, received, caller, new Timings.Recorder(), new Trail(), model, texts);
    }

    @Override
    public EmbeddingsExchange withGuardedText(String text) {
        throw new UnsupportedOperationException("embedding inputs are not guarded");
    }
}
