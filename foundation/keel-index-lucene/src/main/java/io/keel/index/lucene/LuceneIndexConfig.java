package io.keel.index.lucene;

import io.keel.core.error.KeelException;

import io.keel.core.config.ConfigNode;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Tuning of the Lucene index. Every component has a default ({@link #DEFAULTS}); the names in the parameter list
 * below are the {@code keel.yaml} keys they are read from.
 *
 * @param quantization    {@code index.quantization}: how vectors are stored in the HNSW graph ({@code none} or {@code int8})
 * @param hnswM           {@code index.hnsw.m}: neighbours per graph node (Lucene's {@code maxConn})
 * @param hnswBeamWidth   {@code index.hnsw.beam_width}: candidates considered while building the graph
 * @param denseCandidates {@code index.dense.candidates}: neighbours asked of HNSW per query; at least top_k are kept.
 *                        A wide beam is what makes approximate search accurate: recall@10 is about 0.93 with 100
 *                        candidates and about 0.40 when asking for only 10
 * @param bm25Candidates  {@code index.bm25.candidates}: BM25 hits taken into hybrid fusion
 * @param bm25K1          {@code index.bm25.k1}: BM25 term-frequency saturation
 * @param bm25B           {@code index.bm25.b}: BM25 length normalisation
 * @param rrfK            {@code index.hybrid.rrf_k}: the rank constant of reciprocal rank fusion
 * @param denseWeight     {@code index.hybrid.dense_weight}: weight of the dense list in fusion
 * @param bm25Weight      {@code index.hybrid.bm25_weight}: weight of the BM25 list in fusion
 * @param ramBufferMb     {@code index.ram_buffer_mb}: indexing buffer before a segment is flushed
 * @param mergeThreads    {@code index.merge_threads}: background merge threads (merging rebuilds HNSW graphs)
 * @param refreshInterval {@code index.refresh_interval}: how often searches look for commits made by another process;
 *                        commits made through this store are visible at once
 */
public record LuceneIndexConfig(Quantization quantization, int hnswM, int hnswBeamWidth, int denseCandidates,
                                int bm25Candidates, float bm25K1, float bm25B, int rrfK, float denseWeight,
                                float bm25Weight, double ramBufferMb, int mergeThreads, Duration refreshInterval) {

    /** How vectors are stored in the graph. Full-precision vectors are always kept for exact rescoring. */
    public enum Quantization {
        /** 32-bit floats. */
        NONE,
        /** Lucene's scalar-quantized HNSW format: one byte per dimension, about 4x less memory for the graph search. */
        INT8;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code none} or {@code int8}, case-insensitively; null means {@link #NONE}. */
        public static Quantization parse(String value) {
            if (value == null) return NONE;
            for (Quantization q : values()) {
                if (q.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) return q;
            }
            throw KeelException.invalid("index.quantization must be one of none, int8; got '" + value + "'");
        }
    }

    public static final LuceneIndexConfig DEFAULTS = new LuceneIndexConfig(Quantization.NONE, 16, 100, 100, 100,
            0.9f, 0.4f, 60, 1.0f, 1.0f, 64.0, defaultMergeThreads(), Duration.ofSeconds(1));

    public LuceneIndexConfig {
        Objects.requireNonNull(quantization, "quantization");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        check(hnswM >= 2 && hnswM <= 512, "index.hnsw.m must be between 2 and 512; got " + hnswM);
        check(hnswBeamWidth >= 1 && hnswBeamWidth <= 3200, "index.hnsw.beam_width must be between 1 and 3200; got " + hnswBeamWidth);
        check(denseCandidates >= 1 && denseCandidates <= 10_000, "index.dense.candidates must be between 1 and 10000; got " + denseCandidates);
        check(bm25Candidates >= 1 && bm25Candidates <= 10_000, "index.bm25.candidates must be between 1 and 10000; got " + bm25Candidates);
        check(bm25K1 >= 0 && Float.isFinite(bm25K1), "index.bm25.k1 must be >= 0; got " + bm25K1);
        check(bm25B >= 0 && bm25B <= 1, "index.bm25.b must be between 0 and 1; got " + bm25B);
        check(rrfK >= 1, "index.hybrid.rrf_k must be >= 1; got " + rrfK);
        check(denseWeight >= 0 && Float.isFinite(denseWeight), "index.hybrid.dense_weight must be >= 0; got " + denseWeight);
        check(bm25Weight >= 0 && Float.isFinite(bm25Weight), "index.hybrid.bm25_weight must be >= 0; got " + bm25Weight);
        check(denseWeight + bm25Weight > 0, "index.hybrid.dense_weight and index.hybrid.bm25_weight must not both be 0");
        check(ramBufferMb >= 1 && ramBufferMb <= 2048, "index.ram_buffer_mb must be between 1 and 2048; got " + ramBufferMb);
        check(mergeThreads >= 1 && mergeThreads <= 64, "index.merge_threads must be between 1 and 64; got " + mergeThreads);
        check(!refreshInterval.isNegative(), "index.refresh_interval must not be negative; got " + refreshInterval);
    }

    /** The keys {@link #from(ConfigNode)} reads, relative to {@code index}. */
    public static final List<String> KEYS = List.of("quantization", "hnsw.m", "hnsw.beam_width", "dense.candidates",
            "bm25.candidates", "bm25.k1", "bm25.b", "hybrid.rrf_k", "hybrid.dense_weight", "hybrid.bm25_weight",
            "ram_buffer_mb", "merge_threads", "refresh_interval");

    /**
     * Reads the {@code index} section of {@code keel.yaml} through the one configuration reader: missing keys take
     * their defaults, a bad value fails with its full key path and the environment variable that overrides it
     * ({@code KEEL_INDEX_HNSW_M}). Durations are written {@code 500ms}, {@code 1s}, {@code 2m} or ISO-8601
     * ({@code PT1S}). Unknown keys are left to the caller's check of the whole file ({@link ConfigNode.Root#unknownKeys()}).
     *
     * @param n the {@code index} node
     */
    public static LuceneIndexConfig from(ConfigNode n) {
        LuceneIndexConfig d = DEFAULTS;
        ConfigNode hnsw = n.child("hnsw");
        ConfigNode dense = n.child("dense");
        ConfigNode bm25 = n.child("bm25");
        ConfigNode hybrid = n.child("hybrid");
        String quantization = n.string("quantization", d.quantization().wireName());
        Quantization q;
        try {
            q = Quantization.parse(quantization);
        } catch (KeelException e) {
            throw ConfigNode.bad(n.path().isEmpty() ? "quantization" : n.path() + ".quantization",
                    "must be one of none, int8; got '" + quantization + "'");
        }
        return new LuceneIndexConfig(
                q,
                hnsw.integer("m", d.hnswM(), 2, 512),
                hnsw.integer("beam_width", d.hnswBeamWidth(), 1, 3200),
                dense.integer("candidates", d.denseCandidates(), 1, 10_000),
                bm25.integer("candidates", d.bm25Candidates(), 1, 10_000),
                (float) bm25.decimal("k1", d.bm25K1(), 0, 100),
                (float) bm25.decimal("b", d.bm25B(), 0, 1),
                hybrid.integer("rrf_k", d.rrfK(), 1, 100_000),
                (float) hybrid.decimal("dense_weight", d.denseWeight(), 0, 1000),
                (float) hybrid.decimal("bm25_weight", d.bm25Weight(), 0, 1000),
                n.decimal("ram_buffer_mb", d.ramBufferMb(), 1, 2048),
                n.integer("merge_threads", d.mergeThreads(), 1, 64),
                n.duration("refresh_interval", d.refreshInterval()));
    }

    /**
     * Reads an {@code index} section given as nested maps (what a YAML parser returns), as {@link #from(ConfigNode)}
     * does, and refuses keys it does not know, naming the known ones.
     *
     * @param node the {@code index} subtree; null means all defaults
     */
    public static LuceneIndexConfig from(Map<String, ?> node) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("index", node == null ? Map.of() : new LinkedHashMap<>(node));
        ConfigNode root = ConfigNode.root(tree, Map.of());
        LuceneIndexConfig config = from(root.child("index"));
        List<String> unknown = root.rootState().unknownKeys();
        if (!unknown.isEmpty()) {
            throw KeelException.invalid("unknown key " + String.join(", ", unknown) + "; known keys: index."
                    + String.join(", index.", KEYS));
        }
        return config;
    }

    /** The tuning a search applies, as reported with each generation. */
    public Map<String, Object> searchSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dense_candidates", denseCandidates);
        out.put("bm25_candidates", bm25Candidates);
        out.put("rrf_k", rrfK);
        out.put("dense_weight", denseWeight);
        out.put("bm25_weight", bm25Weight);
        return java.util.Collections.unmodifiableMap(out);
    }

    public LuceneIndexConfig withQuantization(Quantization q) {
        return new LuceneIndexConfig(q, hnswM, hnswBeamWidth, denseCandidates, bm25Candidates, bm25K1, bm25B, rrfK,
                denseWeight, bm25Weight, ramBufferMb, mergeThreads, refreshInterval);
    }

    public LuceneIndexConfig withHybridWeights(float dense, float bm25) {
        return new LuceneIndexConfig(quantization, hnswM, hnswBeamWidth, denseCandidates, bm25Candidates, bm25K1, bm25B,
                rrfK, dense, bm25, ramBufferMb, mergeThreads, refreshInterval);
    }

    public LuceneIndexConfig withRamBufferMb(double mb) {
        return new LuceneIndexConfig(quantization, hnswM, hnswBeamWidth, denseCandidates, bm25Candidates, bm25K1, bm25B,
                rrfK, denseWeight, bm25Weight, mb, mergeThreads, refreshInterval);
    }

    public LuceneIndexConfig withRefreshInterval(Duration interval) {
        return new LuceneIndexConfig(quantization, hnswM, hnswBeamWidth, denseCandidates, bm25Candidates, bm25K1, bm25B,
                rrfK, denseWeight, bm25Weight, ramBufferMb, mergeThreads, interval);
    }

    /** Half the cores, between 1 and 4: HNSW graph building costs about 2 ms per vector per thread. */
    static int defaultMergeThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw KeelException.invalid(message);
    }
}
