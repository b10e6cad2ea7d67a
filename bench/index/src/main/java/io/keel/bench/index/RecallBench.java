package io.keel.bench.index;

import io.keel.core.config.ConfigNode;
import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Backends;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.IndexStoreContext;
import io.keel.core.spi.IndexStoreFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Dense recall@10 and latency of the pgvector and Lucene index stores on one synthetic collection of {@code --chunks}
 * unit vectors ({@code --dims} dimensions, drawn around {@code --clusters} random centres, so neighbourhoods are
 * uneven as with real embeddings). Both stores get the same chunks through the same SPI ({@code upsert}, ten chunks
 * per document, a commit every 2,000 documents); 1 % of the documents belong to tenant {@code rare}.
 *
 * <p>Then, for each candidate count of {@code --candidates} (pgvector: {@code hnsw.ef_search} and
 * {@code dense.candidates}; Lucene: {@code dense.candidates}, its HNSW beam), {@code --queries} queries near the
 * centres are searched in dense mode, top 10, single client: recall@10 against an exact scan of every vector, and
 * p50 / p99 of the search call (no embedding). Last, the same queries with the 1 % tenant filter: how many of the
 * 10 asked for come back, and recall against the exact filtered top 10.
 *
 * <pre>
 * bench/pgvector/recall.sh [--chunks 200000] [--dims 384] [--queries 200] [--candidates 10,20,40,100,200]
 * </pre>
 *
 * Not part of the build's tests: loading 200,000 chunks into both stores takes many minutes on two cores.
 */
public final class RecallBench {
    private static final int TOP_K = 10;
    private static final int CHUNKS_PER_DOCUMENT = 10;

    private RecallBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        int chunks = Integer.parseInt(a.getOrDefault("chunks", "200000"));
        int dims = Integer.parseInt(a.getOrDefault("dims", "384"));
        int queries = Integer.parseInt(a.getOrDefault("queries", "200"));
        int clusters = Integer.parseInt(a.getOrDefault("clusters", "500"));
        long seed = Long.parseLong(a.getOrDefault("seed", "17"));
        String pgUrl = a.getOrDefault("pg-url", "jdbc:postgresql://127.0.0.1:5432/keel_recall");
        Path data = Path.of(a.getOrDefault("data", "keel-data/bench-recall"));
        int[] candidates = Arrays.stream(a.getOrDefault("candidates", "10,20,40,100,200").split(","))
                .mapToInt(Integer::parseInt).toArray();
        boolean load = !a.containsKey("reuse");

        EmbeddingModelInfo model = new EmbeddingModelInfo("synthetic-" + dims, "5".repeat(64), dims, 256);
        Random random = new Random(seed);
        float[][] centres = new float[clusters][];
        for (int i = 0; i < clusters; i++) centres[i] = unit(gaussian(random, dims, 1f));
        float[][] vectors = new float[chunks][];
        for (int i = 0; i < chunks; i++) vectors[i] = near(centres[random.nextInt(clusters)], random, 0.35f);
        float[][] qs = new float[queries][];
        for (int i = 0; i < queries; i++) qs[i] = near(centres[random.nextInt(clusters)], random, 0.35f);
        System.out.printf(Locale.ROOT, "synthetic collection: %,d chunks, %d dimensions, %d clusters, %d queries, seed %d%n",
                chunks, dims, clusters, queries, seed);

        if (load) {
            Files.createDirectories(data);
            load("lucene", open("lucene", data, pgUrl, model, 100), vectors);
            load("pgvector", open("pgvector", data, pgUrl, model, 100), vectors);
        }

        List<Set<Integer>> exact = new ArrayList<>();
        List<Set<Integer>> exactRare = new ArrayList<>();
        for (float[] q : qs) {
            exact.add(exactTop(vectors, q, false));
            exactRare.add(exactTop(vectors, q, true));
        }

        System.out.println();
        System.out.println("| store | candidates | recall@10 | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|");
        for (int c : candidates) {
            for (String backend : List.of("lucene", "pgvector")) {
                try (IndexStore store = open(backend, data, pgUrl, model, c)) {
                    CollectionIndex index = store.collection("recall", false);
                    Result r = run(index, qs, exact, Filters.NONE);
                    System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.2f | %.2f |%n", backend, c, r.recall, r.p50, r.p99);
                }
            }
        }
        System.out.println();
        System.out.println("Filter tenant = rare (1 % of chunks), candidates 100:");
        System.out.println("| store | queries returning 10 | mean returned | recall@10 | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|---|");
        Filters rare = Filters.of(Map.of("tenant", List.of("rare")));
        for (String backend : List.of("lucene", "pgvector")) {
            try (IndexStore store = open(backend, data, pgUrl, model, 100)) {
                Result r = run(store.collection("recall", false), qs, exactRare, rare);
                System.out.printf(Locale.ROOT, "| %s | %d / %d | %.2f | %.4f | %.2f | %.2f |%n", backend, r.full, qs.length,
                        r.meanReturned, r.recall, r.p50, r.p99);
            }
        }
        System.out.printf(Locale.ROOT, "%nMachine: %d cores, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }

    private record Result(double recall, double p50, double p99, int full, double meanReturned) {
    }

    private static Result run(CollectionIndex index, float[][] qs, List<Set<Integer>> exact, Filters filters) {
        for (int i = 0; i < Math.min(20, qs.length); i++) search(index, qs[i], filters); // warm-up
        double[] ms = new double[qs.length];
        double recall = 0;
        int full = 0;
        long returned = 0;
        for (int i = 0; i < qs.length; i++) {
            long t = System.nanoTime();
            List<SearchHit> hits = search(index, qs[i], filters);
            ms[i] = (System.nanoTime() - t) / 1e6;
            Set<Integer> found = new HashSet<>();
            for (SearchHit h : hits) found.add(Integer.parseInt(h.chunkId().substring(h.chunkId().indexOf('#') + 1)));
            found.retainAll(exact.get(i));
            recall += found.size() / (double) exact.get(i).size();
            if (hits.size() == TOP_K) full++;
            returned += hits.size();
        }
        Arrays.sort(ms);
        return new Result(recall / qs.length, ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1], full,
                returned / (double) qs.length);
    }

    private static List<SearchHit> search(CollectionIndex index, float[] q, Filters filters) {
        return index.search(new Query("synthetic", TOP_K, RetrievalMode.DENSE, filters, "recall"), q);
    }

    /** The chunk numbers of the exact top 10 by cosine (the vectors are unit length), of the rare tenant's only if asked. */
    private static Set<Integer> exactTop(float[][] vectors, float[] q, boolean rareOnly) {
        int[] best = new int[TOP_K];
        double[] score = new double[TOP_K];
        Arrays.fill(score, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < vectors.length; i++) {
            if (rareOnly && !rare(i / CHUNKS_PER_DOCUMENT)) continue;
            double s = 0;
            float[] v = vectors[i];
            for (int d = 0; d < v.length; d++) s += v[d] * q[d];
            if (s <= score[TOP_K - 1]) continue;
            int j = TOP_K - 1;
            while (j > 0 && score[j - 1] < s) {
                score[j] = score[j - 1];
                best[j] = best[j - 1];
                j--;
            }
            score[j] = s;
            best[j] = i;
        }
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i < TOP_K; i++) if (score[i] > Double.NEGATIVE_INFINITY) out.add(best[i]);
        return out;
    }

    private static boolean rare(int document) {
        return document % 100 == 0;
    }

    private static void load(String backend, IndexStore store, float[][] vectors) {
        try (store) {
            CollectionIndex index = store.collection("recall", true);
            long start = System.nanoTime();
            int documents = vectors.length / CHUNKS_PER_DOCUMENT;
            for (int d = 0; d < documents; d++) {
                String id = "d" + d;
                Document doc = new Document(id, "Document " + d, "synthetic/" + id, "h" + d, Instant.EPOCH, "text/plain",
                        Map.of(), rare(d) ? "rare" : "common", List.of(), List.of(Block.paragraph("synthetic document " + d)));
                List<Chunk> cs = new ArrayList<>(CHUNKS_PER_DOCUMENT);
                List<float[]> vs = new ArrayList<>(CHUNKS_PER_DOCUMENT);
                for (int k = 0; k < CHUNKS_PER_DOCUMENT; k++) {
                    int n = d * CHUNKS_PER_DOCUMENT + k;
                    cs.add(new Chunk(id + "#" + n, id, k, "synthetic chunk " + n, List.of(), 3));
                    vs.add(vectors[n]);
                }
                index.upsert(doc, cs, vs);
                if ((d + 1) % 2000 == 0) {
                    index.commit();
                    System.out.printf(Locale.ROOT, "%s: %,d chunks loaded (%.0f s)%n", backend, (long) (d + 1) * CHUNKS_PER_DOCUMENT,
                            (System.nanoTime() - start) / 1e9);
                }
            }
            index.commit();
            System.out.printf(Locale.ROOT, "%s: loaded %,d chunks in %.0f s%n", backend, (long) documents * CHUNKS_PER_DOCUMENT,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    private static IndexStore open(String backend, Path data, String pgUrl, EmbeddingModelInfo model, int candidates) {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("backend", backend);
        index.put("dense", Map.of("candidates", candidates));
        if (backend.equals("pgvector")) {
            index.put("pgvector", Map.of("url", pgUrl, "pool_size", 2));
            index.put("hnsw", Map.of("ef_search", candidates));
        }
        ConfigNode section = ConfigNode.root(Map.of("index", index), Map.of()).child("index");
        IndexStoreFactory factory = Backends.find(IndexStoreFactory.class, backend, "index.backend");
        return factory.open(new IndexStoreContext(data.resolve(backend), model, section, Clock.systemUTC(), null));
    }

    private static float[] gaussian(Random random, int dims, float sigma) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) v[i] = (float) (random.nextGaussian() * sigma);
        return v;
    }

    private static float[] near(float[] centre, Random random, float spread) {
        float[] noise = unit(gaussian(random, centre.length, 1f));
        float[] v = new float[centre.length];
        for (int i = 0; i < v.length; i++) v[i] = centre[i] + spread * noise[i];
        return unit(v);
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) n += x * x;
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / n);
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (key.equals("reuse")) out.put(key, "true");
            else out.put(key, args[++i]);
        }
        return out;
    }
}
