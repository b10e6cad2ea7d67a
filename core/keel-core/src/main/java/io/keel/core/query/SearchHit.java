package io.keel.core.query;

import java.util.List;
import java.util.Map;

/**
 * One retrieved chunk.
 *
 * @param score mode-dependent: cosine similarity for dense, BM25 for bm25, fused RRF score for hybrid; higher is better
 */
public record SearchHit(String documentId, String chunkId, float score, String text, String source, String title,
                        List<String> headingPath, Map<String, String> metadata) {
    public SearchHit {
        headingPath = List.copyOf(headingPath == null ? List.of() : headingPath);
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    }

    public SearchHit withScore(float newScore) {
        return new SearchHit(documentId, chunkId, newScore, text, source, title, headingPath, metadata);
    }
}
