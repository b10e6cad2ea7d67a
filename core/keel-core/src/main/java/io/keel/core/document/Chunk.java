package io.keel.core.document;

import java.util.List;
import java.util.Objects;

/**
 * A piece of a document small enough for the embedding model to see whole.
 *
 * @param id          {@code documentId + "#" + ordinal}
 * @param documentId  the owning document
 * @param ordinal     position within the document, from 0
 * @param text        the chunk text as shown in citations
 * @param headingPath headings above the chunk, outermost first, for citations
 * @param tokens      model tokens of {@link #embeddingText(String)}, special tokens included
 */
public record Chunk(String id, String documentId, int ordinal, String text, List<String> headingPath, int tokens) {
    public Chunk {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(documentId, "documentId");
        Objects.requireNonNull(text, "text");
        headingPath = List.copyOf(headingPath == null ? List.of() : headingPath);
        if (ordinal < 0) throw new IllegalArgumentException("ordinal must be >= 0");
    }

    public static String idOf(String documentId, int ordinal) {
        return documentId + "#" + ordinal;
    }

    /**
     * The text given to the embedding model: the heading path gives a chunk the context its own words may lack.
     */
    public String embeddingText(String title) {
        StringBuilder sb = new StringBuilder();
        if (title != null && !title.isBlank()) sb.append(title.strip()).append(". ");
        for (String h : headingPath) {
            if (title == null || !h.equals(title.strip())) sb.append(h).append(". ");
        }
        return sb.append(text).toString();
    }
}
