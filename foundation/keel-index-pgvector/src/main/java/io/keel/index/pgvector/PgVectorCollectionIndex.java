package io.keel.index.pgvector;

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
import io.keel.core.sql.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One collection in PostgreSQL. Obtain it from {@link PgVectorIndexStore#collection}.
 *
 * <p>Reads run on pooled connections and see the last commit (a search's lists share one snapshot: a read-only
 * repeatable-read transaction). Writes go to one transaction held open on a connection of their own ({@link Writes})
 * until {@link #commit()}, which raises the catalog version and commits: durable and visible at once, to every Keel
 * instance on the database. A process that ends without committing loses its writes; the last commit stays intact.
 *
 * <p>Every read checks that the collection was built by the store's embedding model and throws
 * {@link io.keel.core.error.ModelMismatchException} otherwise.
 */
public final class PgVectorCollectionIndex implements CollectionIndex {
    private final String name;
    private final int id;
    private final EmbeddingModelInfo model;
    private final Connections db;
    private final PgSearches searches;
    private final Writes writes;
    private volatile boolean closed;
    /** The last counts made, with the version they belong to. */
    private volatile IndexInfo counted;

    PgVectorCollectionIndex(CatalogRow row, EmbeddingModelInfo model, Connections db, PgVectorIndexConfig config, Clock clock) {
        this.name = row.name();
        this.id = row.id();
        this.model = model;
        this.db = db;
        this.searches = new PgSearches(config);
        this.writes = new Writes(row, model, db, clock);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * The collection's model, version and counts as of the last commit. Counting reads every document and chunk, so the
     * counts are kept with the version they were made at and recounted only when a commit (through any instance) has
     * raised it: a search, which reports the version with its hits, pays one catalog read.
     */
    @Override
    public IndexInfo info() {
        return read(c -> {
            IndexInfo cached = counted;
            if (cached != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + CatalogRow.COLUMNS + " FROM keel_pgv_collections WHERE id = ?")) {
                    ps.setInt(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) throw KeelException.notFound("collection '" + name + "' was dropped");
                        if (CatalogRow.read(rs).requireModel(model).version() == cached.version()) return cached;
                    }
                }
            }
            String sql = "SELECT " + CatalogRow.COLUMNS + ", (SELECT count(*) FROM " + Rows.docs(id) + " WHERE NOT deleted),"
                    + " (SELECT count(*) FROM " + Rows.chunks(id) + ") FROM keel_pgv_collections WHERE id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw KeelException.notFound("collection '" + name + "' was dropped");
                    CatalogRow now = CatalogRow.read(rs).requireModel(model);
                    IndexInfo info = new IndexInfo(name, now.fingerprint(), now.version(), rs.getLong(6), rs.getLong(7));
                    counted = info;
                    return info;
                }
            }
        });
    }

    /**
     * Runs the query in its mode with its filters inside the search (see {@link PgSearches}). Thread-safe; sees the
     * last commit.
     *
     * @throws KeelException {@code INVALID_REQUEST} when the vector is missing or has the wrong length
     */
    @Override
    public List<SearchHit> search(Query query, float[] queryVector) {
        Objects.requireNonNull(query, "query");
        float[] unit = null;
        if (query.mode() != RetrievalMode.BM25) {
            if (queryVector == null) {
                throw KeelException.invalid(query.mode().wireName() + " retrieval needs the query embedding; none was given");
            }
            if (queryVector.length != model.dimensions()) {
                throw KeelException.invalid("the query embedding has " + queryVector.length + " dimensions; collection '"
                        + name + "' holds vectors of " + model.dimensions());
            }
            unit = IndexedChunks.unit(queryVector);
        }
        float[] vector = unit;
        return snapshot(c -> searches.search(c, id, model, query, vector));
    }

    @Override
    public Optional<String> contentHash(String documentId) {
        return document(documentId).filter(d -> !d.deleted()).map(IndexedDocument::contentHash);
    }

    @Override
    public Optional<IndexedDocument> document(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content_hash, version, deleted FROM " + Rows.docs(id)
                    + " WHERE document_id = ?")) {
                ps.setString(1, documentId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    long version = rs.getLong(2);
                    if (rs.wasNull()) version = IndexedDocument.NO_VERSION;
                    return Optional.of(rs.getBoolean(3) ? IndexedDocument.tombstone(documentId, version)
                            : IndexedDocument.live(documentId, rs.getString(1), version));
                }
            }
        });
    }

    @Override
    public Map<String, String> documentHashes(String sourcePrefix) {
        String prefix = sourcePrefix == null ? "" : sourcePrefix;
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT document_id, content_hash FROM " + Rows.docs(id)
                    + " WHERE NOT deleted AND starts_with(source, ?)")) {
                ps.setString(1, prefix);
                Map<String, String> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            }
        });
    }

    @Override
    public Map<String, float[]> chunkVectors(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT chunk_id, ordinal, text, heading, tokens, title, "
                    + "embedding::real[] FROM " + Rows.chunks(id) + " WHERE document_id = ?")) {
                ps.setString(1, documentId);
                Map<String, float[]> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Chunk chunk = new Chunk(rs.getString(1), documentId, rs.getInt(2), rs.getString(3),
                                Rows.strings(rs, 4), rs.getInt(5));
                        float[] v = Rows.floats(rs, 7);
                        if (v != null) out.put(chunk.embeddingText(rs.getString(6)), v);
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<float[]> vectorCentroid() {
        return read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT avg(embedding)::real[] FROM " + Rows.chunks(id))) {
                rs.next();
                return Optional.ofNullable(Rows.floats(rs, 1));
            }
        });
    }

    @Override
    public boolean supportsVersions() {
        return true;
    }

    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors) {
        upsert(document, chunks, vectors, IndexedDocument.NO_VERSION);
    }

    /** Replaces the document's record and chunks (and any tombstone) at the next commit; vectors are normalised. */
    @Override
    public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(chunks, "chunks");
        Objects.requireNonNull(vectors, "vectors");
        IndexedChunks.validate(document, chunks, vectors, model.dimensions());
        List<float[]> unit = vectors.stream().map(IndexedChunks::unit).toList();
        ensureOpen();
        writes.upsert(document, chunks, unit, version);
    }

    @Override
    public void delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        writes.delete(documentId);
    }

    @Override
    public void delete(String documentId, long version) {
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        writes.tombstone(documentId, version);
    }

    @Override
    public void updateVersion(String documentId, long version) {
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        writes.updateVersion(documentId, version);
    }

    /** Deletes at the next commit the tombstones written before {@code deletedBefore}; returns how many the last commit held. */
    @Override
    public int purgeTombstones(Instant deletedBefore) {
        Objects.requireNonNull(deletedBefore, "deletedBefore");
        ensureOpen();
        int committed = read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + Rows.docs(id)
                    + " WHERE deleted AND deleted_at < ?")) {
                ps.setLong(1, deletedBefore.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        writes.purge(deletedBefore.toEpochMilli());
        return committed;
    }

    @Override
    public long commit() {
        ensureOpen();
        var committed = writes.commit();
        if (committed.isEmpty()) return info().version();
        searches.changed(id);
        return committed.getAsLong();
    }

    /** Every document of the last commit with its chunks and vectors, and every tombstone, in id order. */
    @Override
    public void export(java.util.function.Consumer<io.keel.core.spi.ExportedDocument> sink) {
        Objects.requireNonNull(sink, "sink");
        snapshot(c -> {
            CatalogRow.byId(c, id).requireModel(model);
            Export.run(c, id, sink);
            return null;
        });
    }

    /** Discards uncommitted writes. Idempotent. */
    void close() {
        closed = true;
        writes.rollback();
    }

    @Override
    public String toString() {
        return "PgVectorCollectionIndex[" + name + "]";
    }

    // ---- connections -------------------------------------------------------------------------------------------

    private <T> T read(Jdbc.Work<T> work) {
        ensureOpen();
        try (Connection c = db.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure("read", e);
        }
    }

    /**
     * Runs {@code work} in a read-only repeatable-read transaction: every statement sees the same commit. The
     * transaction's mode is its first statement (sent with its BEGIN), so the connection's own settings are untouched
     * and nothing needs restoring.
     */
    private <T> T snapshot(Jdbc.Work<T> work) {
        ensureOpen();
        try (Connection c = db.connection()) {
            return Jdbc.transaction(c, tx -> {
                try (var st = tx.createStatement()) {
                    st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                return work.run(tx);
            });
        } catch (SQLException e) {
            throw failure("search", e);
        }
    }

    private void ensureOpen() {
        if (closed) throw KeelException.unavailable("collection '" + name + "' is closed");
    }

    KeelException failure(String what, SQLException e) {
        return new KeelException(ErrorCode.UNAVAILABLE, "collection '" + name + "': " + what + " failed: " + e.getMessage(), e);
    }
}
