package io.keel.index.pgvector;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the pgvector index, read from the {@code index:} section of {@code keel.yaml}.
 *
 * @param url             {@code index.pgvector.url}: a {@code jdbc:postgresql://} URL; empty means the instance's SQL
 *                        database ({@code store.backend: postgresql}), whose pool is then shared
 * @param user            {@code index.pgvector.user}
 * @param password        {@code index.pgvector.password}
 * @param poolSize        {@code index.pgvector.pool_size}: connections of the index's own pool (with {@code url})
 * @param hnswM           {@code index.hnsw.m}: neighbours per graph node
 * @param efConstruction  {@code index.hnsw.ef_construction}: candidates considered while building the graph
 * @param efSearch        {@code index.hnsw.ef_search}: the least search beam; a search uses at least its candidate count
 * @param maxScanTuples   {@code index.hnsw.max_scan_tuples}: how many tuples an iterative scan may visit before giving up
 * @param denseCandidates {@code index.dense.candidates}: neighbours asked of HNSW per query; at least top_k are kept
 * @param textCandidates  {@code index.bm25.candidates}: full-text hits taken into hybrid fusion
 * @param rrfK            {@code index.hybrid.rrf_k}
 * @param denseWeight     {@code index.hybrid.dense_weight}
 * @param textWeight      {@code index.hybrid.bm25_weight}
 */
public record PgVectorIndexConfig(String url, String user, String password, int poolSize, int hnswM, int efConstruction,
                                  int efSearch, int maxScanTuples, int denseCandidates, int textCandidates, int rrfK,
                                  float denseWeight, float textWeight) {
    /** The longest beam pgvector accepts ({@code hnsw.ef_search} is at most 1000). */
    public static final int MAX_EF_SEARCH = 1000;

    public static final PgVectorIndexConfig DEFAULTS = new PgVectorIndexConfig("", "postgres", "", 4, 16, 64, 100,
            20_000, 100, 100, 60, 1.0f, 1.0f);

    public PgVectorIndexConfig {
        url = url == null ? "" : url.strip();
        if (!url.isEmpty() && !url.startsWith("jdbc:postgresql:")) {
            throw KeelException.invalid("index.pgvector.url must be a jdbc:postgresql:// URL; got '" + url + "'");
        }
        if (denseWeight + textWeight <= 0) {
            throw KeelException.invalid("index.hybrid.dense_weight and index.hybrid.bm25_weight must not both be 0");
        }
    }

    /** The keys {@link #from(ConfigNode)} reads, relative to {@code index}. */
    public static final List<String> KEYS = List.of("pgvector.url", "pgvector.user", "pgvector.password",
            "pgvector.pool_size", "hnsw.m", "hnsw.ef_construction", "hnsw.ef_search", "hnsw.max_scan_tuples",
            "dense.candidates", "bm25.candidates", "hybrid.rrf_k", "hybrid.dense_weight", "hybrid.bm25_weight");

    /** Reads the {@code index} node; a bad value fails naming its key. */
    public static PgVectorIndexConfig from(ConfigNode n) {
        PgVectorIndexConfig d = DEFAULTS;
        ConfigNode pg = n.child("pgvector");
        ConfigNode hnsw = n.child("hnsw");
        ConfigNode hybrid = n.child("hybrid");
        return new PgVectorIndexConfig(
                pg.string("url", d.url()),
                pg.string("user", d.user()),
                pg.string("password", d.password()),
                pg.integer("pool_size", d.poolSize(), 1, 256),
                hnsw.integer("m", d.hnswM(), 2, 100),
                hnsw.integer("ef_construction", d.efConstruction(), 4, 1000),
                hnsw.integer("ef_search", d.efSearch(), 1, MAX_EF_SEARCH),
                hnsw.integer("max_scan_tuples", d.maxScanTuples(), 1, Integer.MAX_VALUE),
                n.child("dense").integer("candidates", d.denseCandidates(), 1, MAX_EF_SEARCH),
                n.child("bm25").integer("candidates", d.textCandidates(), 1, 10_000),
                hybrid.integer("rrf_k", d.rrfK(), 1, 100_000),
                (float) hybrid.decimal("dense_weight", d.denseWeight(), 0, 1000),
                (float) hybrid.decimal("bm25_weight", d.textWeight(), 0, 1000));
    }

    /** The HNSW beam of a search asking for {@code candidates} neighbours: at least that many, at most 1000. */
    int efSearchFor(int candidates) {
        return Math.min(MAX_EF_SEARCH, Math.max(efSearch, candidates));
    }

    /** The tuning a search applies, as reported with each generation. */
    public Map<String, Object> searchSettings() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dense_candidates", denseCandidates);
        out.put("bm25_candidates", textCandidates);
        out.put("rrf_k", rrfK);
        out.put("dense_weight", denseWeight);
        out.put("bm25_weight", textWeight);
        out.put("ef_search", efSearch);
        out.put("iterative_scan", "relaxed_order");
        return java.util.Collections.unmodifiableMap(out);
    }

    public PgVectorIndexConfig withUrl(String jdbcUrl) {
        return new PgVectorIndexConfig(jdbcUrl, user, password, poolSize, hnswM, efConstruction, efSearch, maxScanTuples,
                denseCandidates, textCandidates, rrfK, denseWeight, textWeight);
    }
}
