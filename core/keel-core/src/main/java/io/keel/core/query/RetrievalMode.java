package io.keel.core.query;

import io.keel.core.error.KeelException;

import java.util.Locale;

/**
 * How candidates are found: by vector similarity, by BM25 text match, both fused, or the hybrid candidates re-ranked
 * through the knowledge graph ({@code graph}, when {@code graph.enabled}).
 */
public enum RetrievalMode {
    DENSE, BM25, HYBRID, GRAPH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RetrievalMode parse(String value) {
        if (value == null) return HYBRID;
        for (RetrievalMode m : values()) {
            if (m.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) return m;
        }
        throw KeelException.invalid("mode must be one of dense, bm25, hybrid, graph; got '" + value + "'");
    }
}
