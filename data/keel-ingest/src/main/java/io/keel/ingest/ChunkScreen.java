package io.keel.ingest;

import io.keel.core.document.Chunk;

import java.util.Optional;

/**
 * Decides at ingestion whether a chunk may be indexed. A refused chunk is quarantined: it is not embedded or indexed,
 * so no retrieval can ever hand it to a model, and the ingestion report lists it with the reason. The security layer
 * uses this to keep instructions planted in documents (indirect prompt injection) out of the context.
 */
@FunctionalInterface
public interface ChunkScreen {
    /** Empty to index the chunk; otherwise why it is held back. Must be thread-safe and cheap. */
    Optional<String> quarantine(Chunk chunk);

    /**
     * {@link #quarantine(Chunk)} for a chunk of {@code collection}: what ingestion and streaming call, so a screen that
     * keeps a list of what it held back (e.g. for {@code GET /v1/quarantine}) knows where each chunk was going.
     */
    default Optional<String> quarantine(String collection, Chunk chunk) {
        return quarantine(chunk);
    }

    /** Indexes everything. */
    ChunkScreen NONE = chunk -> Optional.empty();
}
