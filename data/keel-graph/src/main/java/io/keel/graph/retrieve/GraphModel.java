package io.keel.graph.retrieve;

import io.keel.graph.spi.GraphSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection's graph in memory, ready for {@link PersonalizedPageRank}: entity nodes first, then one node per chunk;
 * entity-chunk edges weighted 1, or {@link #TITLE_WEIGHT} between a document's title entity and its chunks, entity-entity edges by summed co-occurrence weight. Built once per
 * graph version and shared by concurrent queries (immutable).
 */
final class GraphModel {
    /** Weight of the edge between an entity and a chunk of the document it titles, against 1 for a plain mention. */
    static final double TITLE_WEIGHT = 3.0;
    final long version;
    final int entities;
    final String[] ids;
    final String[] names;
    final String[] chunkIds;
    final String[] chunkDocuments;
    final Map<String, Integer> byKey;
    final Map<String, Integer> byChunk;
    /** Chunks mentioning each entity. */
    final int[] documentFrequency;
    /** The title entity of each chunk's document (by chunk node minus {@link #entities}), or -1. */
    final int[] chunkTitles;
    /** Chunk nodes of each document. */
    final Map<String, int[]> documentChunks;

    final int maxKeyWords;
    final PersonalizedPageRank pageRank;
    private final int[] offsets;
    private final int[] targets;
    private final double[] weights;

    private GraphModel(long version, int entities, String[] ids, String[] names, String[] chunkIds, String[] chunkDocuments, Map<String, Integer> byKey,
                       Map<String, Integer> byChunk, int[] documentFrequency, int[] chunkTitles, Map<String, int[]> documentChunks,
                       int maxKeyWords, int[] offsets, int[] targets, double[] weights) {
        this.version = version;
        this.entities = entities;
        this.ids = ids;
        this.names = names;
        this.chunkIds = chunkIds;
        this.chunkDocuments = chunkDocuments;
        this.byKey = byKey;
        this.byChunk = byChunk;
        this.documentFrequency = documentFrequency;
        this.chunkTitles = chunkTitles;
        this.documentChunks = documentChunks;

        this.maxKeyWords = maxKeyWords;
        this.offsets = offsets;
        this.targets = targets;
        this.weights = weights;
        this.pageRank = new PersonalizedPageRank(offsets, targets, weights);
    }

    static GraphModel of(GraphSnapshot s) {
        int e = s.nodes().size();
        Map<String, Integer> byId = new HashMap<>(e * 2);
        Map<String, Integer> byKey = new HashMap<>(e * 2);
        String[] names = new String[e];
        String[] ids = new String[e];
        int maxWords = 1;
        for (int i = 0; i < e; i++) {
            GraphSnapshot.Node n = s.nodes().get(i);
            byId.put(n.id(), i);
            byKey.put(n.key(), i);
            ids[i] = n.id();
            names[i] = n.name();
            maxWords = Math.max(maxWords, Math.min(8, n.key().split(" ").length));
        }
        Map<String, Integer> byChunk = new HashMap<>();
        List<String> chunks = new ArrayList<>();
        List<String> documents = new ArrayList<>();
        for (GraphSnapshot.MentionRow m : s.mentions()) {
            if (byChunk.putIfAbsent(m.chunkId(), e + chunks.size()) == null) {
                chunks.add(m.chunkId());
                documents.add(m.documentId());
            }
        }
        int n = e + chunks.size();
        int[] degree = new int[n];
        int[] df = new int[e];
        int[] titles = new int[chunks.size()];
        java.util.Arrays.fill(titles, -1);
        Map<String, List<Integer>> perDocument = new HashMap<>();
        for (int c = 0; c < chunks.size(); c++) perDocument.computeIfAbsent(documents.get(c), d -> new ArrayList<>()).add(e + c);
        Map<String, int[]> documentChunks = new HashMap<>(perDocument.size() * 2);
        perDocument.forEach((d, list) -> documentChunks.put(d, list.stream().mapToInt(Integer::intValue).toArray()));
        List<int[]> pairs = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (GraphSnapshot.MentionRow m : s.mentions()) {
            Integer a = byId.get(m.entityId());
            if (a == null) continue;
            df[a]++;
            if (m.title()) titles[byChunk.get(m.chunkId()) - e] = a;
            pairs.add(new int[] {a, byChunk.get(m.chunkId())});
            w.add(m.title() ? TITLE_WEIGHT : 1.0);
        }
        for (GraphSnapshot.EdgeRow r : s.edges()) {
            Integer a = byId.get(r.source());
            Integer b = byId.get(r.target());
            if (a == null || b == null || a.equals(b)) continue;
            pairs.add(new int[] {a, b});
            w.add(r.weight());
        }
        for (int[] p : pairs) {
            degree[p[0]]++;
            degree[p[1]]++;
        }
        int[] offsets = new int[n + 1];
        for (int v = 0; v < n; v++) offsets[v + 1] = offsets[v] + degree[v];
        int[] fill = offsets.clone();
        int[] targets = new int[offsets[n]];
        double[] weights = new double[offsets[n]];
        for (int i = 0; i < pairs.size(); i++) {
            int a = pairs.get(i)[0];
            int b = pairs.get(i)[1];
            targets[fill[a]] = b;
            weights[fill[a]++] = w.get(i);
            targets[fill[b]] = a;
            weights[fill[b]++] = w.get(i);
        }
        return new GraphModel(s.version(), e, ids, names, chunks.toArray(String[]::new), documents.toArray(String[]::new), Map.copyOf(byKey), Map.copyOf(byChunk), df,
                titles, Map.copyOf(documentChunks), maxWords, offsets, targets, weights);
    }

    int chunks() {
        return chunkIds.length;
    }

    /** Whether some chunk of {@code document} mentions {@code entity} (title mentions included). */
    boolean mentions(String document, int entity) {
        int[] nodes = documentChunks.get(document);
        if (nodes == null) return false;
        for (int c : nodes) for (int i = offsets[c]; i < offsets[c + 1]; i++) if (targets[i] == entity) return true;
        return false;
    }

    /** The title entity of {@code document}, or -1 when it has none in the graph. */
    int title(String document) {
        int[] nodes = documentChunks.get(document);
        if (nodes == null) return -1;
        for (int c : nodes) if (chunkTitles[c - entities] >= 0) return chunkTitles[c - entities];
        return -1;
    }

    /** Entity neighbours of node {@code v} with their edge weights. */
    void forEachNeighbour(int v, java.util.function.ObjIntConsumer<Double> action) {
        for (int i = offsets[v]; i < offsets[v + 1]; i++) action.accept(weights[i], targets[i]);
    }
}
