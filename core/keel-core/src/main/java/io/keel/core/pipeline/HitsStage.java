package io.keel.core.pipeline;

import io.keel.core.answer.Lineage;

/** The last stage of the retrieve route: answers with the hits the retrieve stage found. */
public final class HitsStage extends NamedStage<QueryRequest, Retrieval> {
    public HitsStage() {
        super("hits", "hits");
    }

    @Override
    public Retrieval handle(QueryRequest request, Chain<QueryRequest, Retrieval> chain) {
        return new Retrieval(request.id(), request.hits(), request.index(), null, Lineage.EMPTY, null);
    }
}
