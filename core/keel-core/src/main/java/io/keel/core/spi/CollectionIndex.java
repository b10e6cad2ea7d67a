package io.keel.core.spi;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The searchable index of one collection. Searches are thread-safe and see the last commit (or a later refresh);
 * writes are buffered until {@link #commit()}, which makes them durable and visible atomically — a crash before
 * the commit leaves the previous commit intact.
 */
public interface CollectionIndex {
    String name();

    IndexInfo info();

    /**
     * Top {@code query.topK()} chunks in the query's mode, filters applied inside the search.
     *
     * @param queryVector the query's embedding; required for dense and hybrid, ignored for bm25
     */
    List<SearchHit> search(Query query, float[] queryVector);

    /** Content hash of the indexed version of a document, if the document is indexed. */
    Optional<String> contentHash(String documentId);

    /** Every indexed document id whose source starts with {@code sourcePrefix}, mapped to its content hash. */
    Map<String, String> documentHashes(String sourcePrefix);

    /** Replaces all chunks of {@code document} with {@code chunks}; vectors align with chunks. */
    void upsert(Document document, List<Chunk> chunks, List<float[]> vectors);

    /** Removes a document and its chunks; a missing id is not an error. */
    void delete(String documentId);

    /**
     * The indexed state of one document as of the last commit: live with its hash and version, or the tombstone of a
     * versioned delete. Empty when the id was never written or was deleted without a version. The default serves
     * indexes that record no versions: a live document with {@link IndexedDocument#NO_VERSION}.
     *
     * @since 0.1
     */
    default Optional<IndexedDocument> document(String documentId) {
        return contentHash(documentId).map(hash -> IndexedDocument.live(documentId, hash, IndexedDocument.NO_VERSION));
    }

    /**
     * The tenant of a live document, as of the last commit; empty when the id is not indexed, or when the index
     * records no tenants (the default). Deletes by an authenticated caller use it to reach only its own tenant.
     *
     * @since 0.1
     */
    default Optional<String> tenantOf(String documentId) {
        return Optional.empty();
    }

    /**
     * Whether this index records versions and tombstones: {@link #upsert(Document, List, List, long)},
     * {@link #delete(String, long)} and {@link #updateVersion(String, long)}.
     */
    default boolean supportsVersions() {
        return false;
    }

    /**
     * As {@link #upsert(Document, List, List)}, and records {@code version} with the document (replacing a tombstone),
     * so that {@link #document(String)} reports it after the next commit. The caller decides whether the version is
     * newer; the index writes what it is given.
     *
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when the index records no versions
     * @since 0.1
     */
    default void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        throw unversioned();
    }

    /**
     * Removes a document and its chunks and leaves a tombstone carrying {@code version}, also for an id that is not
     * indexed: a delivery of an older version that arrives later can then be recognised as stale.
     *
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when the index records no versions
     * @since 0.1
     */
    default void delete(String documentId, long version) {
        throw unversioned();
    }

    /**
     * Records {@code version} for an indexed document (or tombstone) whose content did not change, without rewriting
     * its chunks, so that an older version arriving later is still recognised as stale. An unknown id changes nothing.
     *
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when the index records no versions
     * @since 0.1
     */
    default void updateVersion(String documentId, long version) {
        throw unversioned();
    }

    /**
     * Removes, at the next commit, the tombstones of versioned deletes made before {@code deletedBefore}; returns how
     * many the last commit held. Afterwards the index no longer knows those ids: an event for one of them, of any
     * version, applies as if the id were new. Indexes without versions have no tombstones and return 0.
     *
     * @since 0.1
     */
    default int purgeTombstones(java.time.Instant deletedBefore) {
        return 0;
    }

    private KeelException unversioned() {
        return new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "collection '" + name() + "' is held by an index ("
                + getClass().getSimpleName() + ") that records no document versions; versioned writes need one that does");
    }

    /** Makes buffered writes durable and visible; returns the new version (unchanged if nothing was written). */
    long commit();

    /**
     * The vectors of the chunks {@code documentId} has as of the last commit, keyed by each chunk's
     * {@link Chunk#embeddingText(String) embedding text} under the document's title. An update
     * whose chunks repeat texts the document already had reuses their vectors instead of embedding them again; the
     * index guarantees they came from its own embedding model. Empty when the document is unknown, or when the index
     * cannot read its vectors back (the default).
     */
    default Map<String, float[]> chunkVectors(String documentId) {
        return Map.of();
    }

    /**
     * Passes every document of the last commit, with its chunks and their vectors, and every tombstone to
     * {@code sink}: the source side of copying a collection to another backend without embedding it again
     * ({@code keel migrate-index}). The vectors are the collection's own, from its model.
     *
     * @throws KeelException {@link ErrorCode#UNSUPPORTED_CAPABILITY} when the index cannot read its documents back
     * @since 0.1
     */
    default void export(java.util.function.Consumer<ExportedDocument> sink) {
        throw new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "collection '" + name() + "' is held by an index ("
                + getClass().getSimpleName() + ") that cannot read its documents back; ingest its sources again instead");
    }

    /**
     * The mean of every live chunk vector (not re-normalized), the corpus side of embedding-drift monitoring; empty
     * when the collection holds no vectors or the backend cannot read them back.
     */
    default Optional<float[]> vectorCentroid() {
        return Optional.empty();
    }
}
