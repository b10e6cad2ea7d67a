package io.keel.index.lucene;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.ReindexProgress;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The collections of one data directory, each a Lucene index in {@code <dataDir>/collections/<name>/}.
 *
 * <p>Thread-safe. Open collections are cached: every caller of {@link #collection} gets the same instance, backed by
 * one index writer (opened on the first write) and one searcher manager. {@link #close()} closes them all,
 * discarding writes that were not committed.
 */
public final class LuceneIndexStore implements IndexStore {
    /** Lower-case letters, digits, {@code _} and {@code -}, starting with a letter or digit, at most 64 characters. */

    private final Path collectionsDir;
    private final EmbeddingModelInfo model;
    private final LuceneIndexConfig config;
    private final Clock clock;
    private final Map<String, LuceneCollectionIndex> open = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    /**
     * @param dataDir the Keel data directory; collections live in its {@code collections} subdirectory
     * @param model   the configured embedding model: collections built by another model are refused
     * @param config  index tuning, e.g. {@link LuceneIndexConfig#DEFAULTS}
     * @throws KeelException {@link ErrorCode#INVALID_REQUEST} when the model's vectors are longer than Lucene indexes
     */
    public LuceneIndexStore(Path dataDir, EmbeddingModelInfo model, LuceneIndexConfig config) {
        this(dataDir, model, config, Clock.systemUTC());
    }

    /**
     * As {@link #LuceneIndexStore(Path, EmbeddingModelInfo, LuceneIndexConfig)}, with the clock that stamps the
     * deletion time of tombstones (what {@link io.keel.core.spi.CollectionIndex#purgeTombstones} compares against).
     */
    public LuceneIndexStore(Path dataDir, EmbeddingModelInfo model, LuceneIndexConfig config, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.collectionsDir = Objects.requireNonNull(dataDir, "dataDir").resolve("collections");
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        int max = LuceneSetup.maxDimensions(config);
        if (model.dimensions() > max) {
            throw KeelException.invalid("embedding model " + model.fingerprint() + " has " + model.dimensions()
                    + " dimensions; the Lucene index holds at most " + max);
        }
    }

    /**
     * Opens a collection, or creates it (empty, committed at version 0) when {@code create} is true.
     *
     * @throws KeelException                          {@link ErrorCode#INVALID_REQUEST} for an invalid name,
     *                                                {@link ErrorCode#NOT_FOUND} for a missing collection when
     *                                                {@code create} is false
     * @throws io.keel.core.error.ModelMismatchException when the collection was built by another embedding model
     */
    @Override
    public LuceneCollectionIndex collection(String name, boolean create) {
        IndexStore.requireValidName(name);
        LuceneCollectionIndex index = open.get(name);
        if (index != null) return index;
        synchronized (lock) {
            ensureOpen();
            index = open.get(name);
            if (index != null) return index;
            Path path = collectionsDir.resolve(name);
            if (!create && !isIndex(path)) {
                throw KeelException.notFound("collection '" + name + "' does not exist; existing collections: "
                        + describe(collections()) + ". Create it with: keel ingest PATH --collection " + name);
            }
            try {
                index = LuceneCollectionIndex.open(name, path, model, config, clock);
            } catch (IOException e) {
                throw new KeelException(ErrorCode.INTERNAL, "cannot open collection '" + name + "' in " + path + ": " + e, e);
            }
            open.put(name, index);
            return index;
        }
    }

    /** Names of the collections in the data directory, sorted. */
    @Override
    public List<String> collections() {
        if (!Files.isDirectory(collectionsDir)) return List.of();
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(collectionsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (IndexStore.COLLECTION_NAME.matcher(name).matches() && isIndex(dir)) names.add(name);
            }
        } catch (IOException e) {
            throw new KeelException(ErrorCode.INTERNAL, "cannot list collections in " + collectionsDir + ": " + e, e);
        }
        return names;
    }

    /**
     * Re-embeds every chunk of a collection with {@code embedder} and rewrites the collection under its model: the
     * operation behind {@code keel reindex --collection NAME}. Works on a collection built by any model. The
     * collection is closed for the duration (callers of {@link #collection} wait); the switch is one commit, so a
     * failure leaves the collection as it was.
     *
     * @param embedder the configured model; its {@link Embedder#info()} must match this store's model
     * @param progress called after each batch of chunks
     * @return the collection's state after the rewrite
     */
    @Override
    public IndexInfo reindex(String name, Embedder embedder, ReindexProgress progress) {
        IndexStore.checkReindex(name, model, embedder, progress);
        synchronized (lock) {
            ensureOpen();
            Path path = collectionsDir.resolve(name);
            if (!isIndex(path)) {
                throw KeelException.notFound("collection '" + name + "' does not exist; existing collections: "
                        + describe(collections()));
            }
            LuceneCollectionIndex cached = open.remove(name);
            if (cached != null) cached.close();
            try {
                Reindexer.run(name, path, embedder, config, progress);
            } catch (IOException e) {
                throw new KeelException(ErrorCode.INTERNAL, "reindex of collection '" + name + "' failed: " + e, e);
            }
        }
        return collection(name, false).info();
    }

    /** Closes every open collection; uncommitted writes are discarded. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            RuntimeException failure = null;
            for (LuceneCollectionIndex index : open.values()) {
                try {
                    index.close();
                } catch (RuntimeException e) {
                    if (failure == null) failure = e;
                    else failure.addSuppressed(e);
                }
            }
            open.clear();
            if (failure != null) throw failure;
        }
    }

    /** The candidates and fusion weights searches use: {@link LuceneIndexConfig#searchSettings()}. */
    @Override
    public Map<String, Object> searchSettings() {
        return config.searchSettings();
    }

    public EmbeddingModelInfo model() {
        return model;
    }

    public LuceneIndexConfig config() {
        return config;
    }

    private void ensureOpen() {
        if (closed) throw KeelException.unavailable("the index store is closed");
    }

    private static boolean isIndex(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Directory d = FSDirectory.open(dir)) {
            return DirectoryReader.indexExists(d);
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
