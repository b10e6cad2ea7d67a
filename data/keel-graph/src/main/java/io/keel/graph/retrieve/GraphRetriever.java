package io.keel.graph.retrieve;

import io.keel.core.answer.Citation;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.graph.GraphSettings;
import io.keel.graph.spi.GraphStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Retrieval mode {@code graph}, after HippoRAG: the question's entities (string-linked, weighted by specificity) and its
 * best hybrid passages seed a Personalized PageRank over the entity-chunk graph; the chunks' PageRank ranking is fused
 * with the hybrid ranking by reciprocal rank. Candidates are the hybrid pool plus the walk's best chunks outside it,
 * fetched by a second search restricted to their documents under the query's own filters: both searches apply the
 * caller's tenant and ACL inside the index, so the graph can never surface a chunk the caller may not read. Each hit
 * carries {@code graph_path} in its metadata: the entity path that led to it.
 */
public final class GraphRetriever {
    /** Metadata key of the entity path on a graph hit: names joined by {@link Citation#PATH_SEPARATOR}. */
    public static final String PATH = Citation.GRAPH_PATH;

    private final GraphStore store;
    private final GraphSettings settings;
    private final Map<String, GraphModel> models = new ConcurrentHashMap<>();

    public GraphRetriever(GraphStore store, GraphSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public List<SearchHit> search(CollectionIndex index, Query query, float[] vector) {
        int poolSize = Math.max(query.topK(), settings.candidates());
        Query hybrid = new Query(query.text(), poolSize, RetrievalMode.HYBRID, query.filters(), query.collection(), query.candidates());
        List<SearchHit> all = index.search(hybrid, vector);
        if (all.isEmpty()) return all;
        // The walk re-ranks the first `candidates` hits; a larger top_k gets the rest after them in hybrid order, so
        // the head of the ranking does not depend on how many hits were asked for.
        List<SearchHit> pool = all.subList(0, Math.min(settings.candidates(), all.size()));
        GraphModel model = model(index.name());
        if (model.entities == 0) return head(all, query.topK());

        double[] reset = new double[model.pageRank.nodes()];
        Map<Integer, Double> entitySeeds = QueryLinker.link(model, query.text());
        double entityMass = entitySeeds.values().stream().mapToDouble(Double::doubleValue).sum();
        double passageShare = entitySeeds.isEmpty() ? 1.0 : settings.passageWeight();
        for (var e : entitySeeds.entrySet()) reset[e.getKey()] += (1 - passageShare) * e.getValue() / entityMass;
        int seeds = Math.min(settings.seedPassages(), pool.size());
        double passageMass = 0;
        for (int i = 0; i < seeds; i++) passageMass += 1.0 / (i + 1);
        for (int i = 0; i < seeds; i++) {
            Integer node = model.byChunk.get(pool.get(i).chunkId());
            if (node != null) reset[node] += passageShare * (1.0 / (i + 1)) / passageMass;
        }
        double[] rank = model.pageRank.push(reset, settings.damping(), settings.epsilon());
        List<SearchHit> candidates = expand(index, query, vector, model, rank, pool);

        List<Integer> byGraph = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) byGraph.add(i);
        byGraph.sort(Comparator.comparingDouble((Integer i) -> -chunkRank(model, rank, candidates.get(i))).thenComparingInt(i -> i));
        double[] fused = new double[candidates.size()];
        for (int r = 0; r < candidates.size(); r++) {
            fused[r] += 1.0 / (settings.rrfK() + r + 1);
            fused[byGraph.get(r)] += settings.graphWeight() / (settings.rrfK() + r + 1);
        }
        List<Integer> order = new ArrayList<>(byGraph);
        order.sort(Comparator.comparingDouble((Integer i) -> -fused[i]).thenComparingInt(i -> i));
        order = pairSecond(model, candidates, order, entitySeeds.keySet(), settings.pairWindow(), query.text());
        List<SearchHit> out = new ArrayList<>(query.topK());
        float last = Float.MAX_VALUE;
        for (int i : order.subList(0, Math.min(query.topK(), order.size()))) {
            SearchHit h = candidates.get(i);
            last = Math.min((float) fused[i], Math.nextDown(last));
            out.add(withPath(h, path(model, rank, entitySeeds, h), last));
        }
        Set<String> taken = new HashSet<>();
        for (SearchHit h : out) taken.add(h.chunkId());
        float floor = out.isEmpty() ? 0 : out.getLast().score();
        for (SearchHit h : all.subList(pool.size(), all.size())) {
            if (out.size() >= query.topK()) break;
            if (taken.add(h.chunkId())) {
                floor = Math.nextDown(floor);
                out.add(h.withScore(floor));
            }
        }
        return out;
    }

    /**
     * The pool plus the chunks the walk ranks highest outside it, fetched by a second search restricted to their
     * documents and under the query's own filters (the caller's tenant and ACL included), so a chunk the caller may not
     * read cannot come back.
     */
    private List<SearchHit> expand(CollectionIndex index, Query query, float[] vector, GraphModel model, double[] rank,
                                   List<SearchHit> pool) {
        int extra = settings.expand();
        if (extra == 0 || vector == null) return pool;
        Set<String> inPool = new HashSet<>();
        for (SearchHit h : pool) inPool.add(h.chunkId());
        PriorityQueue<Integer> best = new PriorityQueue<>(Comparator.comparingDouble((Integer c) -> rank[c]));
        for (int c = model.entities; c < rank.length; c++) {
            if (rank[c] <= 0 || inPool.contains(model.chunkIds[c - model.entities])) continue;
            best.add(c);
            if (best.size() > extra) best.poll();
        }
        if (best.isEmpty()) return pool;
        Set<String> documents = new LinkedHashSet<>();
        Set<String> wantedChunks = new HashSet<>();
        for (int c : best) {
            documents.add(model.chunkDocuments[c - model.entities]);
            wantedChunks.add(model.chunkIds[c - model.entities]);
        }
        Map<String, Set<String>> terms = new LinkedHashMap<>(query.filters().terms());
        Set<String> allowed = terms.get("document_id");
        if (allowed != null) documents.retainAll(allowed);
        if (documents.isEmpty()) return pool;
        terms.put("document_id", documents);
        Query restricted = new Query(query.text(), Math.min(Query.MAX_TOP_K, documents.size() * 8), RetrievalMode.DENSE,
                new Filters(terms), query.collection());
        List<SearchHit> out = new ArrayList<>(pool);
        for (SearchHit h : index.search(restricted, vector)) {
            if (wantedChunks.contains(h.chunkId()) && inPool.add(h.chunkId())) out.add(h);
        }
        return out;
    }

    /**
     * Gives the second place of the ranking to a document linked to the first, when the fused ranking has one within
     * its first {@code window} documents (the best of them, below, when there are several). A multi-hop question's passages come in chains (one names
     * the bridge entity, the next is about it) or in pairs the question names side by side ("Iain Banks or Irwin
     * Shaw"), while the walk and the fusion score passages one at a time. Linked means one of:
     * <ul>
     *   <li>the first document mentions the entity the other is titled by, or the other mentions the first's title
     *       entity, and that bridge entity is not named in the question (a named entity is found by the question
     *       itself, its documents need no chain);</li>
     *   <li>both documents are titled by (different) entities the question names.</li>
     * </ul>
     * Among linked documents, the one whose candidate chunks contain the most of the question's words that the first
     * document's chunks do not (what the question asks beyond the first hop) wins, the earlier in ranking order on a
     * tie; only its best chunk moves, to just before the second document's first chunk, and every other chunk keeps
     * its order. Before that, when the question names the entity the second document is titled by but not the
     * first's, the two swap: a chain starts at what the question names.
     * These steps were chosen on a tuning set of HotpotQA questions (docs/knowledge-graph.md).
     *
     * @param order    candidate indices in fused order
     * @param window   documents searched (2 or less: off)
     * @param question the question's text
     * @return the new order (the same list when nothing moves)
     */
    static List<Integer> pairSecond(GraphModel model, List<SearchHit> candidates, List<Integer> order,
                                    Set<Integer> questionEntities, int window, String question) {
        if (window <= 2 || order.size() < 3) return order;
        List<String> documents = new ArrayList<>();
        List<Integer> firstAt = new ArrayList<>();
        for (int p = 0; p < order.size() && documents.size() < window; p++) {
            String d = candidates.get(order.get(p)).documentId();
            if (!documents.contains(d)) {
                documents.add(d);
                firstAt.add(p);
            }
        }
        if (documents.size() < 3) return order;
        List<Integer> moved = order;
        if (!named(model, documents.getFirst(), questionEntities) && named(model, documents.get(1), questionEntities)) {
            // The question names the second document's entity but not the first's: the named one leads the chain.
            // Its best chunk moves to the top; the first document's chunks, all before it, shift by one.
            moved = new ArrayList<>(order);
            moved.add(0, moved.remove((int) firstAt.get(1)));
            java.util.Collections.swap(documents, 0, 1);
            firstAt.set(1, 1);
        }
        String first = documents.getFirst();
        int firstTitle = model.title(first);
        Set<String> beyondFirst = QuestionWords.of(question);
        beyondFirst.removeAll(QuestionWords.ofDocument(candidates, first));
        int best = -1;
        int bestShared = -1;
        for (int r = 1; r < documents.size(); r++) {
            if (!linked(model, first, firstTitle, documents.get(r), questionEntities)) continue;
            int shared = QuestionWords.shared(beyondFirst, QuestionWords.ofDocument(candidates, documents.get(r)));
            if (shared > bestShared) {
                best = r;
                bestShared = shared;
            }
        }
        if (best <= 1) return moved;
        if (moved == order) moved = new ArrayList<>(order);
        Integer chunk = moved.remove((int) firstAt.get(best));
        moved.add(firstAt.get(1), chunk);
        return moved;
    }

    /** Whether {@code document} is titled by an entity the question names. */
    private static boolean named(GraphModel model, String document, Set<Integer> question) {
        int title = model.title(document);
        return title >= 0 && question.contains(title);
    }

    private static boolean linked(GraphModel model, String first, int firstTitle, String other, Set<Integer> question) {
        int title = model.title(other);
        if (title >= 0 && title == firstTitle) return false;
        if (title >= 0 && firstTitle >= 0 && question.contains(title) && question.contains(firstTitle)) return true;
        if (title >= 0 && !question.contains(title) && model.mentions(first, title)) return true;
        return firstTitle >= 0 && !question.contains(firstTitle) && model.mentions(other, firstTitle);
    }

    private static double chunkRank(GraphModel model, double[] rank, SearchHit hit) {
        Integer node = model.byChunk.get(hit.chunkId());
        return node == null ? 0 : rank[node];
    }

    /** The entity path to a chunk: its highest-ranked entity, preceded by the question entity it was reached from. */
    static List<String> path(GraphModel model, double[] rank, Map<Integer, Double> seeds, SearchHit hit) {
        Integer node = model.byChunk.get(hit.chunkId());
        if (node == null) return List.of();
        int[] best = {-1};
        model.forEachNeighbour(node, (w, v) -> {
            if (v < model.entities && (best[0] < 0 || rank[v] > rank[best[0]])) best[0] = v;
        });
        if (best[0] < 0) return List.of();
        int entity = best[0];
        if (seeds.containsKey(entity) || seeds.isEmpty()) return List.of(model.names[entity]);
        int[] from = {-1};
        double[] strongest = {0};
        model.forEachNeighbour(entity, (w, v) -> {
            if (seeds.containsKey(v) && w > strongest[0]) {
                strongest[0] = w;
                from[0] = v;
            }
        });
        return from[0] < 0 ? List.of(model.names[entity]) : List.of(model.names[from[0]], model.names[entity]);
    }

    private static SearchHit withPath(SearchHit h, List<String> path, float score) {
        Map<String, String> metadata = new LinkedHashMap<>(h.metadata());
        if (!path.isEmpty()) metadata.put(PATH, String.join(Citation.PATH_SEPARATOR, path));
        return new SearchHit(h.documentId(), h.chunkId(), score, h.text(), h.source(), h.title(), h.headingPath(), metadata);
    }

    private static List<SearchHit> head(List<SearchHit> hits, int n) {
        return hits.size() <= n ? hits : List.copyOf(hits.subList(0, n));
    }

    /** The in-memory graph of a collection at the store's current version, rebuilt when the version moved. */
    private GraphModel model(String collection) {
        long version = store.version(collection);
        GraphModel cached = models.get(collection);
        if (cached != null && cached.version == version) return cached;
        synchronized (this) {
            cached = models.get(collection);
            if (cached != null && cached.version == store.version(collection)) return cached;
            GraphModel fresh = GraphModel.of(store.snapshot(collection));
            models.put(collection, fresh);
            return fresh;
        }
    }

    /** Drops every cached in-memory graph (tests; a version change does it by itself). */
    public void invalidate() {
        models.clear();
    }
}
