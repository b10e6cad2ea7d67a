package io.keel.bench.graph;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.eval.BeirDataset;
import io.keel.graph.GraphSettings;
import io.keel.graph.KnowledgeGraph;
import io.keel.graph.retrieve.GraphRetriever;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sweeps graph retrieval settings over an index that {@code keel bench beir} built (graph on), without ingesting
 * again: each variant is a set of {@code graph.*} keys over the defaults, and prints the multi-hop protocol's R@2 and
 * R@5 (documents ranked by their best chunk) with the mean search time (single run, not a latency measurement: use
 * {@code keel bench beir} for that). With {@code -Dmisses=true} it also prints each question whose top 2 misses a
 * supporting passage, with its top 4 and the ranks of its supporting passages; with {@code -Dlatency=ROUNDS} it
 * times hybrid and every variant at top 10, interleaved query by query, and prints their p50 and p99 and the p50 of
 * the searching thread's CPU time (which load from other processes inflates far less than wall time).
 *
 * <pre>
 * java -cp ... io.keel.bench.graph.GraphTuning --data keel-data/bench-hotpotqa-train-100 \
 *     --dataset /work/data-multihop/hotpotqa-train-100 defaults pair_window=4 "damping=0.6 graph_weight=3"
 * </pre>
 */
public final class GraphTuning {
    private GraphTuning() {
    }

    public static void main(String[] args) {
        Path data = null;
        Path dataset = null;
        Path configFile = null;
        String collection = "beir";
        List<String> variants = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--dataset" -> dataset = Path.of(args[++i]);
                case "--collection" -> collection = args[++i];
                case "--config" -> configFile = Path.of(args[++i]);
                default -> variants.add(args[i]);
            }
        }
        if (data == null || dataset == null) {
            System.err.println("usage: GraphTuning --data DIR --dataset DIR [--config keel.yaml] [--collection NAME] VARIANT... (VARIANT: 'defaults' or 'key=value key=value')");
            System.exit(2);
        }
        BeirDataset beir = BeirDataset.load(dataset);
        // --config: the keel.yaml the index was built with (another embedding model, other hybrid weights)
        KeelConfig config = (configFile == null ? KeelConfig.defaults() : KeelConfig.load(configFile))
                .withGraphEnabled().withDataDir(data).withRequestLog(false);
        try (Keel keel = Keel.open(config)) {
            KnowledgeGraph graph = keel.graph().orElseThrow();
            CollectionIndex index = keel.indexes().collection(collection, false);
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (var q : beir.queries().entrySet()) vectors.put(q.getKey(), keel.embedder().embedQuery(q.getValue()));
            hybrid(index, beir, vectors, collection);
            for (String v : variants.isEmpty() ? List.of("defaults") : variants) {
                GraphSettings settings = settings(graph.settings(), v);
                GraphRetriever retriever = new GraphRetriever(graph.store(), settings);
                double r2 = 0;
                double r5 = 0;
                long nanos = 0;
                for (var q : beir.queries().entrySet()) {
                    Query query = new Query(q.getValue(), 300, RetrievalMode.GRAPH, Filters.NONE, collection);
                    long t0 = System.nanoTime();
                    List<SearchHit> hits = retriever.search(index, query, vectors.get(q.getKey()));
                    nanos += System.nanoTime() - t0;
                    List<String> ranking = documents(hits);
                    if (Boolean.getBoolean("misses") && recall(ranking, beir.qrels().get(q.getKey()).keySet(), 2) < 1) {
                        Map<String, String> titles = new java.util.HashMap<>();
                        for (SearchHit h : hits) titles.putIfAbsent(h.documentId(), h.title());
                        StringBuilder sb = new StringBuilder("Q " + q.getValue() + "\n   top:");
                        for (String d : ranking.subList(0, Math.min(4, ranking.size()))) sb.append(" [").append(titles.get(d)).append(beir.qrels().get(q.getKey()).containsKey(d) ? "*" : "").append("]");
                        sb.append("\n   gold:");
                        for (String d : beir.qrels().get(q.getKey()).keySet()) sb.append(" ").append(ranking.indexOf(d) + 1).append(":").append(titles.get(d));
                        System.out.println(sb);
                    }
                    r2 += recall(ranking, beir.qrels().get(q.getKey()).keySet(), 2);
                    r5 += recall(ranking, beir.qrels().get(q.getKey()).keySet(), 5);
                }
                int n = beir.queries().size();
                System.out.printf(Locale.ROOT, "%-50s R@2 %.4f  R@5 %.4f  mean %.2f ms%n", v, r2 / n, r5 / n, nanos / 1e6 / n);
            }
            int rounds = Integer.getInteger("latency", 0);
            if (rounds > 0) latency(graph, index, beir, vectors, collection, variants.isEmpty() ? List.of("defaults") : variants, rounds);
        }
    }

    /**
     * Search time at top 10 of hybrid and of each variant, interleaved query by query (the variants' order rotating)
     * so that load from elsewhere falls on all alike; the first round warms up and is not counted.
     */
    private static void latency(KnowledgeGraph graph, CollectionIndex index, BeirDataset beir, Map<String, float[]> vectors,
                                String collection, List<String> variants, int rounds) {
        List<GraphRetriever> retrievers = new ArrayList<>();
        for (String v : variants) retrievers.add(new GraphRetriever(graph.store(), settings(graph.settings(), v)));
        int k = variants.size() + 1;
        List<List<Double>> times = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            times.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int turn = 0;
        for (int round = 0; round <= rounds; round++) {
            for (var q : beir.queries().entrySet()) {
                float[] vector = vectors.get(q.getKey());
                for (int j = 0; j < k; j++) {
                    int which = (j + turn) % k;
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    if (which == 0) {
                        index.search(new Query(q.getValue(), 10, RetrievalMode.HYBRID, Filters.NONE, collection), vector);
                    } else {
                        retrievers.get(which - 1).search(index, new Query(q.getValue(), 10, RetrievalMode.GRAPH, Filters.NONE, collection), vector);
                    }
                    if (round > 0) {
                        times.get(which).add((System.nanoTime() - t0) / 1e6);
                        cpu.get(which).add((threads.getCurrentThreadCpuTime() - c0) / 1e6);
                    }
                }
                turn++;
            }
        }
        for (int i = 0; i < k; i++) {
            double[] t = times.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] c = cpu.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%-50s search p50 %.2f ms  p99 %.2f ms  thread CPU p50 %.2f ms  (%d searches)%n",
                    i == 0 ? "(hybrid)" : variants.get(i - 1), t[t.length / 2], t[Math.min(t.length - 1, (int) Math.ceil(t.length * 0.99) - 1)],
                    c[c.length / 2], t.length);
        }
    }

    private static void hybrid(CollectionIndex index, BeirDataset beir, Map<String, float[]> vectors, String collection) {
        double r2 = 0;
        double r5 = 0;
        for (var q : beir.queries().entrySet()) {
            List<SearchHit> hits = index.search(new Query(q.getValue(), 300, RetrievalMode.HYBRID, Filters.NONE, collection), vectors.get(q.getKey()));
            r2 += recall(documents(hits), beir.qrels().get(q.getKey()).keySet(), 2);
            r5 += recall(documents(hits), beir.qrels().get(q.getKey()).keySet(), 5);
        }
        int n = beir.queries().size();
        System.out.printf(Locale.ROOT, "%-50s R@2 %.4f  R@5 %.4f%n", "(hybrid)", r2 / n, r5 / n);
    }

    /** The defaults with a variant's {@code key=value} pairs (the keel.yaml names) applied. */
    static GraphSettings settings(GraphSettings d, String variant) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (!variant.equals("defaults")) {
            for (String part : variant.trim().split("[\\s,]+")) {
                String[] f = part.split("=", 2);
                kv.put(f[0], f[1]);
            }
        }
        return new GraphSettings(true, d.extractor(),
                Integer.parseInt(kv.getOrDefault("candidates", "" + d.candidates())),
                Integer.parseInt(kv.getOrDefault("expand", "" + d.expand())),
                Integer.parseInt(kv.getOrDefault("seed_passages", "" + d.seedPassages())),
                Double.parseDouble(kv.getOrDefault("passage_weight", "" + d.passageWeight())),
                Double.parseDouble(kv.getOrDefault("damping", "" + d.damping())),
                Double.parseDouble(kv.getOrDefault("epsilon", "" + d.epsilon())),
                Double.parseDouble(kv.getOrDefault("graph_weight", "" + d.graphWeight())),
                Integer.parseInt(kv.getOrDefault("rrf_k", "" + d.rrfK())),
                Integer.parseInt(kv.getOrDefault("pair_window", "" + d.pairWindow())));
    }

    static List<String> documents(List<SearchHit> hits) {
        Set<String> docs = new LinkedHashSet<>();
        for (SearchHit h : hits) docs.add(h.documentId());
        return new ArrayList<>(docs);
    }

    static double recall(List<String> ranking, Set<String> relevant, int k) {
        int found = 0;
        for (String d : ranking.subList(0, Math.min(k, ranking.size()))) if (relevant.contains(d)) found++;
        return relevant.isEmpty() ? 0 : (double) found / relevant.size();
    }
}
