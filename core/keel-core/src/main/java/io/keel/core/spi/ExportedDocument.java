package io.keel.core.spi;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One document as an index holds it, with everything needed to write it into another index without embedding it
 * again: what {@link CollectionIndex#export} yields, e.g. for {@code keel migrate-index}.
 *
 * @param state     the id, hash, version and whether it is a tombstone
 * @param document  the document (without blocks); null for a tombstone
 * @param chunks    its chunks in order; empty for a tombstone
 * @param vectors   one unit vector per chunk, from the collection's model
 * @param deletedAt when a tombstone was written; null for a live document
 * @since 0.1
 */
public record ExportedDocument(IndexedDocument state, Document document, List<Chunk> chunks, List<float[]> vectors,
                               Instant deletedAt) {
    public ExportedDocument {
        Objects.requireNonNull(state, "state");
        chunks = List.copyOf(chunks);
        vectors = List.copyOf(vectors);
        if (chunks.size() != vectors.size()) throw new IllegalArgumentException("one vector per chunk");
        if (!state.deleted()) Objects.requireNonNull(document, "document");
    }

    public static ExportedDocument live(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        return new ExportedDocument(IndexedDocument.live(document.id(), document.contentHash(), version), document, chunks,
                vectors, null);
    }

    public static ExportedDocument tombstone(String id, long version, Instant deletedAt) {
        return new ExportedDocument(IndexedDocument.tombstone(id, version), null, List.of(), List.of(), deletedAt);
    }
}
