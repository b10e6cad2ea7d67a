package io.keel.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The list of quarantined chunks, and of those released after review. Thread-safe. */
public interface QuarantineStore {
    /**
     * Adds {@code chunk}, or refreshes the entry of the same collection, document and position (which is held again,
     * unless its text is the one released).
     */
    void add(QuarantinedChunk chunk);

    /** The chunks held now, newest first, at most {@code limit}; of {@code collection} only unless it is null. */
    List<QuarantinedChunk> list(String collection, int limit);

    /** How many chunks are held now, in {@code collection} unless it is null. */
    long count(String collection);

    /** The entry {@code id}, held or released. */
    Optional<QuarantinedChunk> find(long id);

    /** Marks {@code id} released by {@code by}; it leaves the list. */
    void release(long id, String by, Instant at);

    /** Whether this text at this position of the document was released: the screen then lets it through. */
    boolean released(String collection, String documentId, int ordinal, String text);
}
