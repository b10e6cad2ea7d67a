package io.keel.core.pipeline;

import io.keel.core.answer.Timings;
import io.keel.core.query.RetrievalMode;
import io.keel.core.spi.Embedder;

import java.util.Objects;

/** Adds the question's embedding to the request; skipped for pure BM25 retrieval. */
public final class EmbedQueryStage<A extends RouteResponse<A>> extends NamedStage<QueryRequest, A> {
    private final Embedder embedder;

    public EmbedQueryStage(Embedder embedder) {
        super("embed-query", Timings.EMBEDDING);
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    @Override
    public A handle(QueryRequest request, Chain<QueryRequest, A> chain) {
        if (request.query().mode() == RetrievalMode.BM25) return chain.proceed(request);
        return chain.proceed(request.withVector(embedder.embedQuery(request.query().text())));
    }
}
