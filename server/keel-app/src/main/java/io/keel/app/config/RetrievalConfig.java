package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;

/**
 * Query defaults ({@code retrieval.*}).
 *
 * @param contextChars character budget of the context handed to the generator
 */
public record RetrievalConfig(RetrievalMode defaultMode, int defaultTopK, String defaultCollection, int contextChars) {
    static RetrievalConfig from(ConfigNode node) {
        return new RetrievalConfig(
                RetrievalMode.parse(node.string("mode", "hybrid")),
                node.integer("top_k", 5, 1, Query.MAX_TOP_K),
                node.string("collection", Query.DEFAULT_COLLECTION),
                node.integer("context_chars", 6_000, 200, 1_000_000));
    }
}
