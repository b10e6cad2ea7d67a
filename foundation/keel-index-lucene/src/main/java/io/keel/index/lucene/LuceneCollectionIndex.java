package io.keel.index.lucene;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexedChunks;
import io.keel.core.spi.IndexedDocument;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig.OpenMode;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One collection: a Lucene index in its own directory. Obtain it from {@link LuceneIndexStore#collection}.
 *
 * <p>Searches are thread-safe and see the last commit. Writes are thread-safe and buffered in the writer until
 * {@link #commit()}; a process that ends without committing loses them and leaves the last commit intact. The
 * writer (and with it the directory's write lock) is opened on the first write, so a process that only searches
 * never blocks another that ingests; its searches pick up the other process's commits within
 * {@link LuceneIndexConfig#refreshInterval()}.
 *
 * <p>Every read and write checks that the commit it works on was built by this store's embedding model and throws
 * {@link io.keel.core.error.ModelMismatchException} otherwise.
 *
 * <p>Longer than most classes on purpose: reads, writes, commits and the model check go through the same searcher and
 * writer lifecycle and its locks; the field layout ({@link Schema}) and the settings are classes of their own.
 */
public final class LuceneCollectionIndex implements CollectionIndex, AutoCloseable {
    private final String name;
    private final EmbeddingModelInfo model;
    private final LuceneIndexConfig config;
    private final java.time.Clock clock;
    private final Directory directory;
    private final Analyzer analyzer;
    private final SearcherManager searchers;
    private final Searches searches;
    /** Writes hold the read lock (they run concurrently); commit and close hold the write lock. */
    private final ReentrantReadWriteLock commitLock = new ReentrantReadWriteLock();
    /** Document ids written since the last commit. */
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private volatile boolean changed;
    private volatile IndexWriter writer;
    private long committedVersion;
    private volatile View view;
    private volatile long nextRefreshNanos;
    private volatile boolean closed;

    /** The state of one point-in-time reader: its commit data and counts, computed once per reader. */
    private record View(IndexReader reader, CommitData commit, long documents, long chunks) {
    }

    private LuceneCollectionIndex(String name, EmbeddingModelInfo model, LuceneIndexConfig config, java.time.Clock clock,
                                  Directory directory, Analyzer analyzer, SearcherManager searchers, IndexWriter writer) {
        this.name = name;
        this.model = model;
        this.config = config;
        this.clock = clock;
        this.directory = directory;
        this.analyzer = analyzer;
        this.searchers = searchers;
        this.searches = new Searches(config, analyzer);
        this.writer = writer;
        this.nextRefreshNanos = System.nanoTime() + config.refreshInterval().toNanos();
    }

    /**
     * Opens the index in {@code path}, creating an empty one (committed at version 0 under {@code model}) when the
     * directory holds none. Tombstones take their deletion time from {@code clock}.
     */
    static LuceneCollectionIndex open(String name, Path path, EmbeddingModelInfo model, LuceneIndexConfig config,
                                      java.time.Clock clock) throws IOException {
        Files.createDirectories(path);
        Directory directory = FSDirectory.open(path);
        Analyzer analyzer = LuceneSetup.analyzer();
        IndexWriter created = null;
        SearcherManager searchers = null;
        try {
            if (!DirectoryReader.indexExists(directory)) {
                created = LuceneSetup.openWriter(name, directory, config, analyzer, OpenMode.CREATE);
                created.setLiveCommitData(CommitData.of(model, 0).toMap().entrySet());
                created.commit();
            }
            searchers = new SearcherManager(directory, LuceneSetup.searcherFactory(config));
        } catch (IOException | RuntimeException | Error e) {
            IOUtils.closeWhileHandlingException(searchers, created, analyzer, directory);
            throw e;
        }
        LuceneCollectionIndex index = new LuceneCollectionIndex(name, model, config, clock, directory, analyzer, searchers, created);
        try {
            index.current();
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
        return index;
    }

    @Override
    public String name() {
        return name;
    }

    /** Counts and version of the last commit (documents counts document records, chunks the searchable chunks). */
    @Override
    public IndexInfo info() {
        View v = current();
        return new IndexInfo(name, v.commit().fingerprint(), v.commit().version(), v.documents(), v.chunks());
    }

    /**
     * Runs the query in its mode with its filters inside the search; see {@link LuceneIndexConfig} for candidates and
     * fusion weights. Thread-safe; sees the last commit.
     *
     * @param queryVector the query embedding (normalised here); required for dense and hybrid, ignored for bm25
     * @throws KeelException {@code INVALID_REQUEST} when the vector is missing or has the wrong length
     * @throws io.keel.core.error.ModelMismatchException when the last commit was built by another model
     */
    @Override
    public List<SearchHit> search(Query query, float[] queryVector) {
        Objects.requireNonNull(query, "query");
        float[] target = null;
        if (query.mode() != RetrievalMode.BM25) {
            if (queryVector == null) {
                throw KeelException.invalid(query.mode().wireName() + " retrieval needs the query embedding; none was given");
            }
            if (queryVector.length != model.dimensions()) {
                throw KeelException.invalid("the query embedding has " + queryVector.length + " dimensions; collection '"
                        + name + "' holds vectors of " + model.dimensions());
            }
            target = IndexedChunks.unit(queryVector);
        }
        float[] vector = target;
        return read(s -> {
            view(s);
            return searches.search(s, query, vector);
        });
    }

    /** As of the last commit; never null. */
    @Override
    public Optional<String> contentHash(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(s -> {
            view(s);
            int doc = Schema.recordOf(s.getIndexReader(), documentId, false);
            if (doc < 0) return Optional.empty();
            return Optional.of(s.storedFields().document(doc, Set.of(Schema.CONTENT_HASH)).get(Schema.CONTENT_HASH));
        });
    }

    /** As of the last commit; never null. A tombstone is reported as a deleted document with its version. */
    @Override
    public Optional<IndexedDocument> document(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(s -> {
            view(s);
            int doc = Schema.recordOf(s.getIndexReader(), documentId, true);
            if (doc < 0) return Optional.empty();
            String hash = s.storedFields().document(doc, Set.of(Schema.CONTENT_HASH)).get(Schema.CONTENT_HASH);
            long version = Schema.version(s, doc);
            return Optional.of(hash == null ? IndexedDocument.tombstone(documentId, version)
                    : IndexedDocument.live(documentId, hash, version));
        });
    }

    @Override
    public Optional<String> tenantOf(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(s -> {
            view(s);
            int doc = Schema.recordOf(s.getIndexReader(), documentId, false);
            if (doc < 0) return Optional.<String>empty();
            return Optional.ofNullable(s.storedFields().document(doc, Set.of(Schema.TENANT)).get(Schema.TENANT));
        });
    }

    /** As of the last commit; never null. */
    @Override
    public Map<String, float[]> chunkVectors(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(s -> {
            view(s);
            org.apache.lucene.search.Query q = new BooleanQuery.Builder()
                    .add(Queries.CHUNKS, Occur.FILTER)
                    .add(new TermQuery(Schema.documentTerm(documentId)), Occur.FILTER)
                    .build();
            Map<String, float[]> vectors = new HashMap<>();
            StoredFields stored = s.storedFields();
            for (ScoreDoc hit : Searches.all(s, q)) {
                org.apache.lucene.document.Document fields = stored.document(hit.doc);
                float[] vector = Schema.vector(s.getIndexReader(), hit.doc);
                if (vector != null) vectors.put(Schema.readChunk(fields).embeddingText(fields.get(Schema.TITLE)), vector);
            }
            return vectors;
        });
    }

    /** As of the last commit: documents with their chunks and stored vectors, then tombstones. */
    @Override
    public void export(java.util.function.Consumer<io.keel.core.spi.ExportedDocument> sink) {
        Objects.requireNonNull(sink, "sink");
        read(s -> {
            view(s);
            Exporter.run(s, sink);
            return null;
        });
    }

    @Override
    public boolean supportsVersions() {
        return true;
    }

    /** As of the last commit; a null or empty prefix selects every document. */
    @Override
    public Optional<float[]> vectorCentroid() {
        return read(s -> {
            double[] sum = null;
            long n = 0;
            for (org.apache.lucene.index.LeafReaderContext leaf : s.getIndexReader().leaves()) {
                org.apache.lucene.index.FloatVectorValues values = leaf.reader().getFloatVectorValues(Schema.VECTOR);
                if (values == null) continue;
                org.apache.lucene.util.Bits live = leaf.reader().getLiveDocs();
                var it = values.iterator();
                for (int doc = it.nextDoc(); doc != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (live != null && !live.get(doc)) continue;
                    float[] v = values.vectorValue(it.index());
                    if (sum == null) sum = new double[v.length];
                    for (int i = 0; i < v.length; i++) sum[i] += v[i];
                    n++;
                }
            }
            if (n == 0) return Optional.<float[]>empty();
            float[] mean = new float[sum.length];
            for (int i = 0; i < mean.length; i++) mean[i] = (float) (sum[i] / n);
            return Optional.of(mean);
        });
    }

    @Override
    public Map<String, String> documentHashes(String sourcePrefix) {
        String prefix = sourcePrefix == null ? "" : sourcePrefix;
        return read(s -> {
            view(s);
            org.apache.lucene.search.Query q = prefix.isEmpty() ? Queries.DOCUMENT_RECORDS
                    : recordsMatching(new PrefixQuery(new org.apache.lucene.index.Term(Schema.SOURCE, prefix)));
            Map<String, String> hashes = new HashMap<>();
            StoredFields stored = s.storedFields();
            Set<String> fields = Set.of(Schema.DOCUMENT_ID, Schema.CONTENT_HASH);
            for (ScoreDoc d : Searches.all(s, q)) {
                var doc = stored.document(d.doc, fields);
                hashes.put(doc.get(Schema.DOCUMENT_ID), doc.get(Schema.CONTENT_HASH));
            }
            return hashes;
        });
    }

    /**
     * Replaces the document record and every chunk of {@code document} in one atomic writer operation; visible after
     * {@link #commit()}. Vectors are copied and normalised to unit length. A document without chunks is still recorded,
     * so its content hash lets re-ingestion skip it.
     *
     * @throws KeelException {@code INVALID_REQUEST} when chunks and vectors do not align, a chunk belongs to another
     *                       document, or a vector has the wrong length or zero length
     */
    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors) {
        upsert(document, chunks, vectors, IndexedDocument.NO_VERSION);
    }

    /**
     * As {@link #upsert(Document, List, List)}, the document record carrying {@code version} (none for
     * {@link IndexedDocument#NO_VERSION}); replaces a tombstone.
     */
    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(vectors, "vectors");
        IndexedChunks.validate(document, chunks, vectors, model.dimensions());
        List<float[]> unit = vectors.stream().map(IndexedChunks::unit).toList();
        List<List<IndexableField>> docs = Schema.luceneDocuments(document, chunks, unit, version);
        write(w -> {
            w.updateDocuments(Schema.documentTerm(document.id()), docs);
            written.add(document.id());
            changed = true;
        });
    }

    /**
     * Replaces the document and its chunks with a tombstone carrying {@code version} at the next commit, also for an
     * id that is not indexed. Tombstones hold no text and are never searched; they are kept until the id is written
     * again, deleted without a version, or {@linkplain #purgeTombstones purged}.
     */
    @Override
    public void delete(String documentId, long version) {
        Objects.requireNonNull(documentId, "documentId");
        List<IndexableField> tombstone = Schema.tombstone(documentId, version, clock.millis());
        write(w -> {
            w.updateDocuments(Schema.documentTerm(documentId), List.of(tombstone));
            written.add(documentId);
            changed = true;
        });
    }

    /**
     * Deletes, at the next commit, the tombstones written before {@code deletedBefore}; returns how many the last
     * commit held. Tombstones from releases that recorded no deletion time are kept until a reindex stamps them.
     */
    @Override
    public int purgeTombstones(java.time.Instant deletedBefore) {
        Objects.requireNonNull(deletedBefore, "deletedBefore");
        org.apache.lucene.search.Query old = new BooleanQuery.Builder()
                .add(Queries.TOMBSTONES, Occur.FILTER)
                .add(NumericDocValuesField.newSlowRangeQuery(Schema.DELETED_AT, Long.MIN_VALUE, deletedBefore.toEpochMilli() - 1), Occur.FILTER)
                .build();
        int[] purged = new int[1];
        write(w -> {
            purged[0] = read(s -> s.count(old));
            if (purged[0] == 0) return;
            w.deleteDocuments(old);
            changed = true;
        });
        return purged[0];
    }

    /** Sets the version of every Lucene document of the id in place at the next commit; the chunks stay as they are. */
    @Override
    public void updateVersion(String documentId, long version) {
        Objects.requireNonNull(documentId, "documentId");
        write(w -> {
            boolean known = written.contains(documentId) || read(s -> s.count(new TermQuery(Schema.documentTerm(documentId))) > 0);
            if (!known) return;
            w.updateNumericDocValue(Schema.documentTerm(documentId), Schema.VERSION, version);
            written.add(documentId);
            changed = true;
        });
    }

    /** Removes the document and its chunks at the next commit; an unknown id changes nothing (and no version). */
    @Override
    public void delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        write(w -> {
            boolean known = written.contains(documentId) || read(s -> s.count(new TermQuery(Schema.documentTerm(documentId))) > 0);
            if (!known) return;
            w.deleteDocuments(Schema.documentTerm(documentId));
            written.add(documentId);
            changed = true;
        });
    }

    /**
     * Makes every write since the last commit durable and visible, raising the version by one, and refreshes the
     * searchers. Without writes since the last commit nothing is written and the current version is returned.
     */
    @Override
    public long commit() {
        commitLock.writeLock().lock();
        try {
            ensureOpen();
            IndexWriter w = writer;
            if (w == null || !changed) return current().commit().version();
            long next = committedVersion + 1;
            w.setLiveCommitData(CommitData.of(model, next).toMap().entrySet());
            w.commit();
            committedVersion = next;
            changed = false;
            written.clear();
            searchers.maybeRefreshBlocking();
            return next;
        } catch (AlreadyClosedException e) {
            throw closedOrFailed(e);
        } catch (IOException e) {
            throw failure("commit", e);
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    /** Discards uncommitted writes and releases the directory. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        commitLock.writeLock().lock();
        try {
            IOUtils.close(searchers, writer, analyzer, directory);
        } catch (IOException e) {
            throw failure("close", e);
        } finally {
            commitLock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "LuceneCollectionIndex[" + name + "]";
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SearcherFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T read(SearcherFunction<T> fn) {
        ensureOpen();
        IndexSearcher searcher;
        try {
            long now = System.nanoTime();
            if (now - nextRefreshNanos >= 0) {
                nextRefreshNanos = now + config.refreshInterval().toNanos();
                searchers.maybeRefresh();
            }
            searcher = searchers.acquire();
        } catch (AlreadyClosedException e) {
            throw closedOrFailed(e);
        } catch (IOException e) {
            throw failure("refresh", e);
        }
        try {
            return fn.apply(searcher);
        } catch (IOException e) {
            throw failure("search", e);
        } finally {
            try {
                searchers.release(searcher);
            } catch (IOException | AlreadyClosedException ignored) {
                // the reader is closed with the manager; nothing more to release
            }
        }
    }

    private View current() {
        return read(this::view);
    }

    private View view(IndexSearcher s) throws IOException {
        View v = view;
        if (v == null || v.reader() != s.getIndexReader()) {
            CommitData commit = CommitData.parse(name, ((DirectoryReader) s.getIndexReader()).getIndexCommit().getUserData());
            commit.requireModel(name, model);
            v = new View(s.getIndexReader(), commit, s.count(Queries.DOCUMENT_RECORDS), s.count(Queries.CHUNKS));
            view = v;
        }
        v.commit().requireModel(name, model);
        return v;
    }

    private static org.apache.lucene.search.Query recordsMatching(org.apache.lucene.search.Query q) {
        return new BooleanQuery.Builder().add(Queries.DOCUMENT_RECORDS, Occur.FILTER).add(q, Occur.FILTER).build();
    }

    // ---- writing ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface WriterAction {
        void run(IndexWriter writer) throws IOException;
    }

    private void write(WriterAction action) {
        commitLock.readLock().lock();
        try {
            ensureOpen();
            action.run(writer());
        } catch (AlreadyClosedException e) {
            throw closedOrFailed(e);
        } catch (IOException e) {
            throw failure("write", e);
        } finally {
            commitLock.readLock().unlock();
        }
    }

    /**
     * The writer, opened on first use after checking that the last commit was built by this store's model. A writer
     * that failed for good (Lucene's tragic exception, e.g. the disk filled up during a flush) is replaced by a new one
     * on the last commit: its uncommitted changes are gone (their batch failed and is sent again), and writing resumes
     * without a restart once the cause is gone.
     */
    private IndexWriter writer() throws IOException {
        IndexWriter w = writer;
        if (w != null && w.isOpen() && w.getTragicException() == null) return w;
        synchronized (this) {
            if (writer != null && (!writer.isOpen() || writer.getTragicException() != null)) {
                IOUtils.closeWhileHandlingException(writer);
                writer = null;
                changed = false;
                written.clear();
            }
            if (writer == null) {
                IndexWriter opened = LuceneSetup.openWriter(name, directory, config, analyzer, OpenMode.APPEND);
                try {
                    Map<String, String> data = new LinkedHashMap<>();
                    opened.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
                    CommitData last = CommitData.parse(name, data);
                    last.requireModel(name, model);
                    committedVersion = last.version();
                    searchers.maybeRefreshBlocking();
                } catch (IOException | RuntimeException e) {
                    IOUtils.closeWhileHandlingException(opened);
                    throw e;
                }
                writer = opened;
            }
            return writer;
        }
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) throw KeelException.unavailable("collection '" + name + "' is closed");
    }

    private KeelException closedOrFailed(AlreadyClosedException e) {
        if (closed) return KeelException.unavailable("collection '" + name + "' is closed");
        IndexWriter w = writer;
        Throwable tragedy = w == null ? null : w.getTragicException();
        return new KeelException(ErrorCode.UNAVAILABLE, "collection '" + name + "' can no longer be written"
                + (tragedy == null ? "" : " after a failure (" + tragedy + ")")
                + "; the last commit is intact and the next write reopens the collection", e);
    }

    private KeelException failure(String what, IOException e) {
        if (diskFull(e)) {
            return new KeelException(ErrorCode.INSUFFICIENT_STORAGE, "collection '" + name + "': " + what + " failed: the disk"
                    + " of the data directory is full (" + e.getMessage() + "); the last commit is intact, free space and"
                    + " send the change again", e);
        }
        return new KeelException(ErrorCode.INTERNAL, "collection '" + name + "': " + what + " failed: " + e, e);
    }

    /** Whether {@code e} (or a cause) is the file system's "no space left" (ENOSPC) or "quota exceeded". */
    static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return false;
    }
}
