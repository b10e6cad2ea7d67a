package io.keel.core.answer;

import io.keel.core.query.SearchHit;

import java.util.List;

/**
 * A retrieved chunk an answer relies on.
 *
 * @param graphPath in retrieval mode {@code graph}, the entity path that led to the chunk (a question entity, then the
 *                  entity the chunk mentions); empty otherwise
 */
public record Citation(String documentId, String chunkId, float score, String text, String source, List<String> graphPath) {
    /** Metadata key under which graph retrieval puts a hit's entity path, names joined by {@value #PATH_SEPARATOR}. */
    public static final String GRAPH_PATH = "graph_path";
    public static final String PATH_SEPARATOR = " > ";

    public Citation {
        graphPath = graphPath == null ? List.of() : List.copyOf(graphPath);
    }

    public Citation(String documentId, String chunkId, float score, String text, String source) {
        this(documentId, chunkId, score, text, source, List.of());
    }

    public static Citation of(SearchHit hit) {
        String path = hit.metadata().get(GRAPH_PATH);
        return new Citation(hit.documentId(), hit.chunkId(), hit.score(), hit.text(), hit.source(),
                path == null || path.isEmpty() ? List.of() : List.of(path.split(PATH_SEPARATOR, -1)));
    }
}
