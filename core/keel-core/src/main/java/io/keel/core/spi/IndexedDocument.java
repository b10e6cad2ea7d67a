package io.keel.core.spi;

import java.util.Objects;

/**
 * What an index records about one document id as of its last commit: the indexed document, or the tombstone a
 * versioned delete left behind. Sources that deliver the same change more than once, or out of order, compare an
 * incoming version with {@link #version()} to decide whether the change still applies.
 *
 * @param id          the document id
 * @param contentHash hash of the indexed content; empty for a tombstone
 * @param version     the version written with the document or the delete; {@link #NO_VERSION} when the document was
 *                    written without one (batch ingestion)
 * @param deleted     true for a tombstone: the document was deleted at {@code version}
 * @since 0.1
 */
public record IndexedDocument(String id, String contentHash, long version, boolean deleted) {
    /** The version of a document written without one; every real version is greater. */
    public static final long NO_VERSION = Long.MIN_VALUE;

    public IndexedDocument {
        Objects.requireNonNull(id, "id");
        contentHash = contentHash == null ? "" : contentHash;
        if (deleted && version == NO_VERSION) throw new IllegalArgumentException("a tombstone needs a version");
    }

    /** A live document. */
    public static IndexedDocument live(String id, String contentHash, long version) {
        return new IndexedDocument(id, contentHash, version, false);
    }

    /** The mark a versioned delete leaves. */
    public static IndexedDocument tombstone(String id, long version) {
        return new IndexedDocument(id, "", version, true);
    }

    /** Whether the document was written with a version. */
    public boolean versioned() {
        return version != NO_VERSION;
    }
}
