package io.keel.graph;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.KeelException;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.ForwardingCollectionIndex;
import io.keel.core.spi.IndexInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.ReindexProgress;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An index store whose collections keep the knowledge graph in step: every document written or deleted — by
 * {@code keel ingest}, {@code POST /v1/documents} or a stream — is extracted or forgotten, and the graph is written
 * when the index commits. Searches in mode {@code graph} go to {@link KnowledgeGraph#search}; others pass through.
 * Without a graph ({@code graph.enabled: false}) it only refuses mode {@code graph}, which an index by itself would
 * answer as hybrid.
 */
public final class GraphIndexStore implements IndexStore {
    private final IndexStore delegate;
    private final KnowledgeGraph graph;

    /** @param graph the graph to keep; null when the graph is disabled */
    public GraphIndexStore(IndexStore delegate, KnowledgeGraph graph) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.graph = graph;
    }

    public java.util.Optional<KnowledgeGraph> graph() {
        return java.util.Optional.ofNullable(graph);
    }

    @Override
    public CollectionIndex collection(String name, boolean create) {
        CollectionIndex index = delegate.collection(name, create);
        return graph == null ? new NoGraph(index) : new GraphCollection(index, graph);
    }

    @Override
    public List<String> collections() {
        return delegate.collections();
    }

    @Override
    public IndexInfo reindex(String collection, Embedder embedder, ReindexProgress progress) {
        return delegate.reindex(collection, embedder, progress);
    }

    @Override
    public Map<String, Object> searchSettings() {
        return delegate.searchSettings();
    }

    /** Closes the graph; the delegate belongs to whoever opened it. */
    @Override
    public void close() {
        if (graph != null) graph.close();
    }

    /** Refuses mode graph where no graph is kept, naming the setting that turns it on. */
    public static KeelException disabled() {
        return KeelException.invalid("mode 'graph' needs the knowledge graph: set graph.enabled: true in keel.yaml and ingest again");
    }

    private static final class NoGraph extends ForwardingCollectionIndex {
        NoGraph(CollectionIndex delegate) {
            super(delegate);
        }

        @Override
        public List<SearchHit> search(Query query, float[] queryVector) {
            if (query.mode() == RetrievalMode.GRAPH) throw disabled();
            return super.search(query, queryVector);
        }
    }

    private static final class GraphCollection extends ForwardingCollectionIndex {
        private final KnowledgeGraph graph;

        GraphCollection(CollectionIndex delegate, KnowledgeGraph graph) {
            super(delegate);
            this.graph = graph;
        }

        @Override
        public List<SearchHit> search(Query query, float[] queryVector) {
            if (query.mode() == RetrievalMode.GRAPH) return graph.search(delegate(), query, queryVector);
            return super.search(query, queryVector);
        }

        @Override
        public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors) {
            super.upsert(document, chunks, vectors);
            graph.upsert(name(), document, chunks);
        }

        @Override
        public void upsert(Document document, List<Chunk> chunks, List<float[]> vectors, long version) {
            super.upsert(document, chunks, vectors, version);
            graph.upsert(name(), document, chunks);
        }

        @Override
        public void delete(String documentId) {
            super.delete(documentId);
            graph.delete(name(), documentId);
        }

        @Override
        public void delete(String documentId, long version) {
            super.delete(documentId, version);
            graph.delete(name(), documentId);
        }

        @Override
        public long commit() {
            long v = super.commit();
            graph.commit(name());
            return v;
        }
    }
}
