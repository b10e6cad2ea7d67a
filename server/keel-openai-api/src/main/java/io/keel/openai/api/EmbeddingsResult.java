package io.keel.openai.api;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.pipeline.RouteResponse;
import io.keel.core.spi.RequestRecord;
import io.keel.openai.protocol.RawEmbeddings;

import java.util.List;

/**
 * The {@code /v1/embeddings} route's response: vectors, or an upstream's raw number arrays to relay as they are.
 *
 * @param vectors the vectors, or null when {@code raw} holds them
 * @param raw     an upstream's response to relay without parsing its floats, or null
 * @param tokens  input tokens, as the model counted them
 */
record EmbeddingsResult(String id, List<float[]> vectors, RawEmbeddings raw, long tokens, Usage usage,
                        Lineage lineage) implements RouteResponse<EmbeddingsResult> {
    @Override
    public EmbeddingsResult withLineage(Lineage l) {
        return new EmbeddingsResult(id, vectors, raw, tokens, usage, l);
    }

    @Override
    public EmbeddingsResult withTimings(Timings timings) {
        return this;
    }

    @Override
    public String status() {
        return "ok";
    }

    @Override
    public String guardedText() {
        return null;
    }

    @Override
    public EmbeddingsResult withGuardedText(String text, boolean blocked) {
        throw new UnsupportedOperationException("vectors have no text to rewrite");
    }

    /** Nothing but the usage and lineage the record stage writes: embedding calls are logged without their texts. */
    @Override
    public void describe(RequestRecord.Builder record) {
    }
}
