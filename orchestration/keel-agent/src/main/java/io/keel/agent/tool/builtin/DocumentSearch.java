package io.keel.agent.tool.builtin;

import io.keel.core.answer.Caller;
import io.keel.core.query.Filters;
import io.keel.core.query.SearchHit;

import java.util.List;

/**
 * The retrieval pipeline as the document tools see it. The server wires it to the retrieve route's stages, so a tool's
 * search is logged, guarded and restricted to the caller's tenant and ACL groups exactly like {@code POST /v1/retrieve}.
 */
@FunctionalInterface
public interface DocumentSearch {
    /**
     * @param collection null for the default collection
     * @param filters    narrowing filters; the caller's tenant and ACL filters are enforced on top of them
     */
    List<SearchHit> search(String text, int topK, String collection, Filters filters, Caller caller);
}
