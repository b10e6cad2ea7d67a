package io.keel.index.lucene;

import io.keel.core.error.KeelException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** The keys {@link #from} reads, relative to {@code index}. */
    public static final List<String> KEYS = List.of("quantization", "hnsw.m", "hnsw.beam_width", "dense.candidates",
            "bm25.candidates", "bm25.k1", "bm25.b", "hybrid.rrf_k", "hybrid.dense_weight", "hybrid.bm25_weight",
            "ram_buffer_mb", "merge_threads", "refresh_interval");

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    /**
     * Reads the {@code index} node of {@code keel.yaml}, as nested maps (what a YAML parser returns) or with dotted
     * keys ({@code hnsw.m}). Missing keys take their defaults; unknown keys and bad values fail with the full key.
     * Durations are written {@code 500ms}, {@code 1s}, {@code 2m} or ISO-8601 ({@code PT1S}).
     *
     * @param node the {@code index} subtree; null means all defaults
     */
    public static LuceneIndexConfig from(Map<String, ?> node) {
        Map<String, Object> keys = new LinkedHashMap<>();
        flatten("", node == null ? Map.of() : node, keys);
        for (String key : keys.keySet()) {
            if (!KEYS.contains(key)) {
                throw KeelException.invalid("unknown key index." + key + "; known keys: index." + String.join(", index.", KEYS));
            }
        }
        LuceneIndexConfig d = DEFAULTS;
        return new LuceneIndexConfig(
                keys.containsKey("quantization") ? Quantization.parse(String.valueOf(keys.get("quantization"))) : d.quantization(),
                integer(keys, "hnsw.m", d.hnswM()),
                integer(keys, "hnsw.beam_width", d.hnswBeamWidth()),
                integer(keys, "dense.candidates", d.denseCandidates()),
                integer(keys, "bm25.candidates", d.bm25Candidates()),
                (float) number(keys, "bm25.k1", d.bm25K1()),
                (float) number(keys, "bm25.b", d.bm25B()),
                integer(keys, "hybrid.rrf_k", d.rrfK()),
                (float) number(keys, "hybrid.dense_weight", d.denseWeight()),
                (float) number(keys, "hybrid.bm25_weight", d.bm25Weight()),
                number(keys, "ram_buffer_mb", d.ramBufferMb()),
                integer(keys, "merge_threads", d.mergeThreads()),
                keys.containsKey("refresh_interval") ? duration(keys.get("refresh_interval")) : d.refreshInterval());
    }

    private static void flatten(String prefix, Map<String, ?> node, Map<String, Object> out) {
        node.forEach((k, v) -> {
            if (v instanceof Map<?, ?> child) {
                Map<String, Object> typed = new LinkedHashMap<>();
                child.forEach((ck, cv) -> typed.put(String.valueOf(ck), cv));
                flatten(prefix + k + ".", typed, out);
            } else {
                out.put(prefix + k, v);
            }
        });
    }

    private static double number(Map<String, Object> keys, String key, double fallback) {
        Object v = keys.get(key);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw KeelException.invalid("index." + key + " must be a number; got '" + v + "'");
        }
    }

    private static int integer(Map<String, Object> keys, String key, int fallback) {
        double v = number(keys, key, fallback);
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            throw KeelException.invalid("index." + key + " must be a whole number; got " + keys.get(key));
        }
        return (int) v;
    }

    private static Duration duration(Object value) {
        String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw KeelException.invalid("index.refresh_interval must be a duration such as 500ms, 1s or 2m; got '" + value + "'");
        }
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
