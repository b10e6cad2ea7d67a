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

    /** Indexes everything. */
    ChunkScreen NONE = chunk -> Optional.empty();
}
