package io.keel.core.spi;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
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

    /** Makes buffered writes durable and visible; returns the new version (unchanged if nothing was written). */
    long commit();
}
