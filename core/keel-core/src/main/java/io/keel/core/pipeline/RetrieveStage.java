package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Timings;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexStore;

import java.util.Objects;

/** Searches the request's collection and adds the hits. */
public final class RetrieveStage implements Stage {
    private final IndexStore indexes;

    public RetrieveStage(IndexStore indexes) {
        this.indexes = Objects.requireNonNull(indexes, "indexes");
    }

    @Override
    public String name() {
        return "retrieve";
    }

    @Override
    public String timingKey() {
        return Timings.VECTOR_SEARCH;
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        CollectionIndex index = indexes.collection(request.query().collection(), false);
        return chain.proceed(request.withHits(index.search(request.query(), request.vector()), index.info()));
    }
}
