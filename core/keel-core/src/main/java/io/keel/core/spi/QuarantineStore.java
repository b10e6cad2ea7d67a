package io.keel.core.spi;

import java.util.List;

/** The list of quarantined chunks. Thread-safe. */
public interface QuarantineStore {
    /** Adds {@code chunk}, or refreshes the entry of the same collection, document and position. */
    void add(QuarantinedChunk chunk);

    /** The newest first, at most {@code limit}; of {@code collection} only unless it is null. */
    List<QuarantinedChunk> list(String collection, int limit);

    /** How many chunks are quarantined, in {@code collection} unless it is null. */
    long count(String collection);
}
