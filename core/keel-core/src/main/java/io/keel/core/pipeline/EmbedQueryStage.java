package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Timings;
import io.keel.core.query.RetrievalMode;
import io.keel.core.spi.Embedder;

import java.util.Objects;

/** Adds the question's embedding to the request; skipped for pure BM25 retrieval. */
public final class EmbedQueryStage implements Stage {
    private final Embedder embedder;

    public EmbedQueryStage(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    @Override
    public String name() {
        return "embed-query";
    }

    @Override
    public String timingKey() {
        return Timings.EMBEDDING;
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        if (request.query().mode() == RetrievalMode.BM25) return chain.proceed(request);
        return chain.proceed(request.withVector(embedder.embedQuery(request.query().text())));
    }
}
