package io.keel.core.spi;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A collection index that hands every call to another one; subclasses override the calls they change (inject a
 * failure, withhold a capability, count calls) and keep the rest exactly as the delegate behaves.
 */
public abstract class ForwardingCollectionIndex implements CollectionIndex {
    private final CollectionIndex delegate;

    protected ForwardingCollectionIndex(CollectionIndex delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final CollectionIndex delegate() {
        return delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public IndexInfo info() {
        return delegate.info();
    }

    @Override
    public List<SearchHit> search(Query query, float[] queryVector) {
        return delegate.search(query, queryVector);
    }

    @Override
    public Optional<String> contentHash(String documentId) {
        return delegate.contentHash(documentId);
    }

    @Override
    public Map<String, String> documentHashes(String sourcePrefix) {
        return delegate.documentHashes(sourcePrefix);
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors) {
        delegate.upsert(document, chunks, vectors);
    }

    @Override
    public void delete(String documentId) {
        delegate.delete(documentId);
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        return delegate.document(documentId);
    }

    @Override
    public Optional<String> tenantOf(String documentId) {
        return delegate.tenantOf(documentId);
    }

    @Override
    public boolean supportsVersions() {
        return delegate.supportsVersions();
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        delegate.upsert(document, chunks, vectors, version);
    }

    @Override
    public void delete(String documentId, long version) {
        delegate.delete(documentId, version);
    }

    @Override
    public void updateVersion(String documentId, long version) {
        delegate.updateVersion(documentId, version);
    }

    @Override
    public int purgeTombstones(Instant deletedBefore) {
        return delegate.purgeTombstones(deletedBefore);
    }

    @Override
    public long commit() {
        return delegate.commit();
    }

    @Override
    public Map<String, float[]> chunkVectors(String documentId) {
        return delegate.chunkVectors(documentId);
    }

    @Override
    public Optional<float[]> vectorCentroid() {
        return delegate.vectorCentroid();
    }

    @Override
    public void export(java.util.function.Consumer<ExportedDocument> sink) {
        delegate.export(sink);
    }
}
