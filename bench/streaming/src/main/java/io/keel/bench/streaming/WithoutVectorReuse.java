package io.keel.bench.streaming;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexedDocument;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A collection that does not hand its chunk vectors back ({@link CollectionIndex#chunkVectors}'s default), so every
 * chunk of an updated document is embedded again: the baseline for {@code --no-reuse}.
 */
record WithoutVectorReuse(CollectionIndex index) implements CollectionIndex {
    @Override
    public String name() {
        return index.name();
    }

    @Override
    public IndexInfo info() {
        return index.info();
    }

    @Override
    public List<SearchHit> search(Query query, float[] queryVector) {
        return index.search(query, queryVector);
    }

    @Override
    public Optional<String> contentHash(String documentId) {
        return index.contentHash(documentId);
    }

    @Override
    public Map<String, String> documentHashes(String sourcePrefix) {
        return index.documentHashes(sourcePrefix);
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors) {
        index.upsert(document, chunks, vectors);
    }

    @Override
    public void delete(String documentId) {
        index.delete(documentId);
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        return index.document(documentId);
    }

    @Override
    public boolean supportsVersions() {
        return index.supportsVersions();
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        index.upsert(document, chunks, vectors, version);
    }

    @Override
    public void delete(String documentId, long version) {
        index.delete(documentId, version);
    }

    @Override
    public void updateVersion(String documentId, long version) {
        index.updateVersion(documentId, version);
    }

    @Override
    public int purgeTombstones(Instant deletedBefore) {
        return index.purgeTombstones(deletedBefore);
    }

    @Override
    public long commit() {
        return index.commit();
    }
}
