package io.keel.graph;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Query;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.ExtractorProvider;
import io.keel.graph.extract.GraphExtraction;
import io.keel.graph.extract.KnownEntities;
import io.keel.graph.retrieve.GraphRetriever;
import io.keel.graph.spi.DocumentGraph;
import io.keel.graph.spi.EntityDetail;
import io.keel.graph.spi.EntitySummary;
import io.keel.graph.spi.GraphStore;
import io.keel.graph.spi.Visibility;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The knowledge graph of a Keel instance: extraction as documents are written to an index, the store, graph retrieval
 * and the entity look-ups of the API. Writes are buffered per collection and reach the store when the index commits,
 * so the graph changes with the index it describes.
 */
public final class KnowledgeGraph implements AutoCloseable {
    private final GraphStore store;
    private final GraphSettings settings;
    private final GraphRetriever retriever;
    private final ExtractorProvider extractorProvider;
    private final Map<String, KnownEntities> dictionaries = new ConcurrentHashMap<>();
    private final Map<String, EntityExtractor> extractors = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /**
     * @throws io.keel.core.error.KeelException (invalid) when {@code settings.extractor()} names an extractor whose
     *                                          module is not on the class path
     */
    public KnowledgeGraph(GraphStore store, GraphSettings settings) {
        this(store, settings, ExtractorProvider.named(settings.extractor()));
    }

    /** @param extractors the extractor to use, e.g. one the application built with a chat model ({@code graph.extractor: llm}) */
    public KnowledgeGraph(GraphStore store, GraphSettings settings, ExtractorProvider extractors) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.extractorProvider = Objects.requireNonNull(extractors, "extractors");
        this.retriever = new GraphRetriever(store, settings);
    }

    public GraphSettings settings() {
        return settings;
    }

    public GraphStore store() {
        return store;
    }

    /** Where the extractor of each collection comes from. */
    public ExtractorProvider extractors() {
        return extractorProvider;
    }

    /**
     * Chunks that wait for an extractor working chunk by chunk: documents are extracted together at the commit, or
     * once this many chunks wait, so every title among them is in the known-entity dictionary before any of them is
     * read (a document mentioning another's title finds it whichever came first).
     */
    static final int EXTRACT_AFTER_CHUNKS = 4096;

    /**
     * Buffers {@code document}'s graph until the collection's next {@link #commit}. Its title joins the known-entity
     * dictionary at once; its chunks are extracted with the other documents waiting: at the commit or once
     * {@link #EXTRACT_AFTER_CHUNKS} have gathered, so the titles of the whole batch are known to each of them; an
     * extractor that works in batches ({@link EntityExtractor#batchSize}, a model call each) gets them a batch at a
     * time as they gather.
     */
    public void upsert(String collection, Document document, List<Chunk> chunks) {
        KnownEntities known = dictionaries.computeIfAbsent(collection, c -> new KnownEntities(store.titles(c)));
        if (!document.title().isBlank()) known.add(document.title());
        EntityExtractor extractor = extractors.computeIfAbsent(collection, c -> extractorProvider.create(known));
        Pending p = pending(collection);
        synchronized (p) {
            p.waiting(document, chunks);
            int extractAt = extractor.batchSize() > 1 ? extractor.batchSize() : EXTRACT_AFTER_CHUNKS;
            if (p.waitingChunks >= extractAt) extractWaiting(p, extractor);
        }
    }

    /** Extracts the documents waiting for a batching extractor, their chunks announced by tenant. Holds {@code p}'s lock. */
    private static void extractWaiting(Pending p, EntityExtractor extractor) {
        if (p.waiting.isEmpty()) return;
        Map<String, List<String>> textsByTenant = new LinkedHashMap<>();
        for (Waiting w : p.waiting.values()) {
            List<String> texts = textsByTenant.computeIfAbsent(w.document().tenant(), t -> new ArrayList<>());
            for (Chunk c : w.chunks()) texts.add(c.text());
        }
        textsByTenant.forEach(extractor::prepare);
        GraphExtraction extraction = new GraphExtraction(extractor);
        List<Waiting> batch = List.copyOf(p.waiting.values());
        p.waiting.clear();
        p.waitingChunks = 0;
        for (Waiting w : batch) p.upsert(extraction.of(w.document(), w.chunks()));
    }

    /** Buffers the removal of a document's graph until the collection's next {@link #commit}. */
    public void delete(String collection, String documentId) {
        pending(collection).delete(documentId);
    }

    /** Writes what the collection's documents changed since the last commit, in one transaction. */
    public void commit(String collection) {
        Pending p = pending.get(collection);
        if (p == null) return;
        List<DocumentGraph> upserts;
        Set<String> deletes;
        synchronized (p) {
            EntityExtractor extractor = extractors.get(collection);
            if (extractor != null) extractWaiting(p, extractor);
            upserts = new ArrayList<>(p.upserts.values());
            deletes = new LinkedHashSet<>(p.deletes);
            p.upserts.clear();
            p.deletes.clear();
        }
        store.write(collection, upserts, deletes);
    }

    /**
     * Builds the collection's graph again from the documents and chunks the index holds (no embedding): for a
     * collection ingested before the graph was enabled, or after the extractor changed. Documents the graph knows but
     * the index no longer holds are forgotten.
     *
     * @return the number of chunks extracted
     */
    public long rebuild(CollectionIndex index) {
        String collection = index.name();
        Set<String> live = new LinkedHashSet<>();
        long[] chunks = {0};
        index.export(doc -> {
            if (doc.document() == null) return;
            live.add(doc.document().id());
            upsert(collection, doc.document(), doc.chunks());
            chunks[0] += doc.chunks().size();
        });
        Set<String> stale = new LinkedHashSet<>();
        for (var m : store.snapshot(collection).mentions()) if (!live.contains(m.documentId())) stale.add(m.documentId());
        stale.forEach(d -> delete(collection, d));
        commit(collection);
        return chunks[0];
    }

    public List<SearchHit> search(CollectionIndex index, Query query, float[] vector) {
        return retriever.search(index, query, vector);
    }

    public List<EntitySummary> findEntities(String collection, String q, Visibility visibility, int limit) {
        return store.findEntities(collection, q, visibility, limit);
    }

    public Optional<EntityDetail> entity(String collection, String id, Visibility visibility, int limit) {
        return store.entity(collection, id, visibility, limit);
    }

    private Pending pending(String collection) {
        return pending.computeIfAbsent(collection, c -> new Pending());
    }

    @Override
    public void close() {
        store.close();
    }

    /**
     * Document graphs and deletes waiting for their collection's commit, and documents waiting for a batching
     * extractor; the last word on a document wins.
     */
    private static final class Pending {
        final Map<String, DocumentGraph> upserts = new LinkedHashMap<>();
        final Set<String> deletes = new LinkedHashSet<>();
        final Map<String, Waiting> waiting = new LinkedHashMap<>();
        int waitingChunks;

        synchronized void upsert(DocumentGraph g) {
            deletes.remove(g.documentId());
            upserts.put(g.documentId(), g);
        }

        synchronized void waiting(Document document, List<Chunk> chunks) {
            forget(document.id());
            deletes.remove(document.id());
            upserts.remove(document.id());
            waiting.put(document.id(), new Waiting(document, List.copyOf(chunks)));
            waitingChunks += chunks.size();
        }

        synchronized void delete(String documentId) {
            forget(documentId);
            upserts.remove(documentId);
            deletes.add(documentId);
        }

        private void forget(String documentId) {
            Waiting w = waiting.remove(documentId);
            if (w != null) waitingChunks -= w.chunks().size();
        }
    }

    private record Waiting(Document document, List<Chunk> chunks) {
    }
}
