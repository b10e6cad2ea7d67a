package io.keel.index.pgvector;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.ReindexProgress;
import io.keel.core.sql.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collections of one PostgreSQL database. A catalog table ({@code keel_pgv_collections}) holds each collection's
 * model fingerprint and commit version; each collection has a documents table and a chunks table of its own (named by
 * its catalog id), so each has its own HNSW graph over {@code vector(dim)} of its model's dimension, and a filtered
 * search never wades through other collections' rows — which a single shared table with a collection column would
 * make every query do, the case where HNSW filtering loses recall.
 *
 * <p>Thread-safe. Open collections are cached; any number of Keel instances may open the same database.
 */
public final class PgVectorIndexStore implements IndexStore {
    /** As the Lucene store: lower-case letters, digits, {@code _} and {@code -}, at most 64 characters. */

    private final Connections db;
    private final EmbeddingModelInfo model;
    private final PgVectorIndexConfig config;
    private final Clock clock;
    private final Map<String, PgVectorCollectionIndex> open = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    private PgVectorIndexStore(Connections db, EmbeddingModelInfo model, PgVectorIndexConfig config, Clock clock) {
        this.db = db;
        this.model = model;
        this.config = config;
        this.clock = clock;
    }

    static PgVectorIndexStore open(Connections db, EmbeddingModelInfo model, PgVectorIndexConfig config, Clock clock) {
        Objects.requireNonNull(model, "model");
        if (model.dimensions() > 2000) {
            db.close();
            throw KeelException.invalid("embedding model " + model.fingerprint() + " has " + model.dimensions()
                    + " dimensions; pgvector's HNSW index holds at most 2000");
        }
        return new PgVectorIndexStore(db, model, Objects.requireNonNull(config, "config"), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Opens a collection, or creates it (empty, version 0, under this store's model) when {@code create} is true.
     *
     * @throws KeelException {@code INVALID_REQUEST} for an invalid name, {@code NOT_FOUND} for a missing collection
     * @throws io.keel.core.error.ModelMismatchException when the collection was built by another embedding model
     */
    @Override
    public PgVectorCollectionIndex collection(String name, boolean create) {
        IndexStore.requireValidName(name);
        PgVectorCollectionIndex index = open.get(name);
        if (index != null) return index;
        synchronized (lock) {
            ensureOpen();
            index = open.get(name);
            if (index != null) return index;
            CatalogRow row = inTransaction(c -> {
                Optional<CatalogRow> found = CatalogRow.find(c, name);
                if (found.isPresent()) return found.get();
                if (!create) {
                    throw KeelException.notFound("collection '" + name + "' does not exist; existing collections: "
                            + describe(CatalogRow.names(c)) + ". Create it with: keel ingest PATH --collection " + name);
                }
                c.createStatement().execute("LOCK TABLE keel_pgv_collections IN SHARE ROW EXCLUSIVE MODE");
                return CatalogRow.find(c, name).orElseGet(() -> {
                    try {
                        return CatalogRow.create(c, name, model, config);
                    } catch (SQLException e) {
                        throw failure("create collection '" + name + "'", e);
                    }
                });
            });
            row.requireModel(model);
            index = new PgVectorCollectionIndex(row, model, db, config, clock);
            open.put(name, index);
            return index;
        }
    }

    @Override
    public List<String> collections() {
        ensureOpen();
        return inTransaction(CatalogRow::names);
    }

    /**
     * Re-embeds every chunk of a collection with {@code embedder} and rewrites its vectors (and, for a model of another
     * dimension, its vector column and HNSW index) in one transaction: a failure leaves the collection as it was.
     */
    @Override
    public IndexInfo reindex(String name, Embedder embedder, ReindexProgress progress) {
        IndexStore.checkReindex(name, model, embedder, progress);
        synchronized (lock) {
            ensureOpen();
            PgVectorCollectionIndex cached = open.remove(name);
            if (cached != null) cached.close();
            inTransaction(c -> {
                CatalogRow row = CatalogRow.find(c, name).orElseThrow(() -> KeelException.notFound("collection '" + name
                        + "' does not exist; existing collections: " + describe(namesOrEmpty(c))));
                Reindexer.run(c, row, embedder, config, progress);
                return null;
            });
        }
        return collection(name, false).info();
    }

    @Override
    public Map<String, Object> searchSettings() {
        return config.searchSettings();
    }

    public EmbeddingModelInfo model() {
        return model;
    }

    public PgVectorIndexConfig config() {
        return config;
    }

    /** Discards uncommitted writes of every open collection and closes the index's own pool. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            open.values().forEach(PgVectorCollectionIndex::close);
            open.clear();
            db.close();
        }
    }

    private <T> T inTransaction(Jdbc.Work<T> work) {
        try (Connection c = db.connection()) {
            return Jdbc.transaction(c, work);
        } catch (SQLException e) {
            throw failure("catalog access", e);
        }
    }

    private static List<String> namesOrEmpty(Connection c) {
        try {
            return CatalogRow.names(c);
        } catch (SQLException e) {
            return List.of();
        }
    }

    private void ensureOpen() {
        if (closed) throw KeelException.unavailable("the index store is closed");
    }

    private static KeelException failure(String what, SQLException e) {
        return new KeelException(ErrorCode.UNAVAILABLE, "pgvector index: " + what + " failed: " + e.getMessage(), e);
    }

    private static String describe(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
