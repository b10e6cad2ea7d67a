package io.keel.stream.kafka;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexedDocument;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real collection index with injected commit failures. {@link #crashingAt} dies as a process killed at the worst
 * moment would: commit number {@code n} reaches the disk but its caller never learns so (the Kafka offsets stay
 * uncommitted), and every later commit fails without writing. {@link #failingFirst} fails its first {@code n}
 * commits without writing, like a disk that is briefly full, and then works. Everything else goes straight to the
 * real index.
 */
final class CrashingIndex implements CollectionIndex {
    private final CollectionIndex delegate;
    private final int crashAt;
    private final int failFirst;
    private int commits;
    private volatile boolean crashed;

    private CrashingIndex(CollectionIndex delegate, int crashAt, int failFirst) {
        this.delegate = delegate;
        this.crashAt = crashAt;
        this.failFirst = failFirst;
    }

    static CrashingIndex crashingAt(CollectionIndex delegate, int commit) {
        return new CrashingIndex(delegate, commit, 0);
    }

    static CrashingIndex failingFirst(CollectionIndex delegate, int commits) {
        return new CrashingIndex(delegate, Integer.MAX_VALUE, commits);
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public synchronized long commit() {
        commits++;
        if (commits <= failFirst) throw new KeelException(ErrorCode.UNAVAILABLE, "simulated failure of commit " + commits);
        if (commits == crashAt) {
            delegate.commit();
            crashed = true;
        }
        if (crashed) throw new KeelException(ErrorCode.UNAVAILABLE, "simulated crash at commit " + commits);
        return delegate.commit();
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
}
