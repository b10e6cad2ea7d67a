package io.keel.index.pgvector;

import io.keel.core.query.Query;
import io.keel.core.query.RankFusion;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.EmbeddingModelInfo;

import org.postgresql.util.PGobject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three retrieval modes as SQL over one collection's chunk table, on a connection whose transaction holds one
 * snapshot (so the two lists of a hybrid search see the same commit). Filters are {@code WHERE} clauses on real
 * columns, applied inside the index scan.
 *
 * <p>Dense search orders by cosine distance ({@code <=>}) with pgvector's iterative index scan
 * ({@code hnsw.iterative_scan = relaxed_order}): when the filter rejects most of what one pass of the graph finds, the
 * scan goes on until it has the rows asked for (or has visited {@code hnsw.max_scan_tuples}), so a selective filter
 * still gets k rows. The beam ({@code hnsw.ef_search}) is at least the candidate count. Relaxed order may return the
 * rows slightly out of order; they are sorted by their exact distance here.
 *
 * <p>Text search matches any of the query's lexemes (english configuration) and ranks by BM25; hybrid
 * fuses the two lists with {@link RankFusion}, the fusion the Lucene index uses.
 */
final class PgSearches {
    /** A chunk of a ranked list: its row and its score in that list. */
    private record Ranked(long rowId, float score) {
    }

    /** BM25 term-frequency saturation and length normalisation: Lucene's defaults in Keel. */
    static final double K1 = 0.9;
    static final double B = 0.4;

    private final PgVectorIndexConfig config;
    private final TextStats textStats = new TextStats();

    PgSearches(PgVectorIndexConfig config) {
        this.config = config;
    }

    /**
     * Runs the query. The ranked lists carry row ids and scores only; the text, source, title, heading and metadata of
     * the {@code top_k} chunks that are returned are read afterwards in one statement, so a hybrid search reads two
     * hundred candidates' ids and ten chunks, not two hundred chunks.
     *
     * @param unitVector the normalised query embedding; null in bm25 mode
     */
    List<SearchHit> search(Connection c, int collectionId, EmbeddingModelInfo model, Query query, float[] unitVector)
            throws SQLException {
        Rows.Clause filter = Rows.filter(query.filters());
        int topK = query.topK();
        int denseCandidates = query.candidatesOr(config.denseCandidates());
        prepare(c, collectionId, query.mode() == RetrievalMode.BM25 ? 0 : denseCandidates).requireModel(model);
        List<Ranked> ranked = switch (query.mode()) {
            case DENSE -> dense(c, collectionId, unitVector, filter, topK, denseCandidates);
            case BM25 -> text(c, collectionId, query.text(), filter, topK);
            case HYBRID, GRAPH -> { // GRAPH: the hybrid pool of graph retrieval, which wraps the index store
                List<Ranked> text = text(c, collectionId, query.text(), filter, query.candidatesOr(config.textCandidates()));
                List<Ranked> dense = dense(c, collectionId, unitVector, filter, denseCandidates, denseCandidates);
                yield RankFusion.fuse(List.of(dense.stream().map(Ranked::rowId).toList(), text.stream().map(Ranked::rowId).toList()),
                                new float[] {config.denseWeight(), config.textWeight()}, config.rrfK(), topK, Comparator.naturalOrder())
                        .stream().map(f -> new Ranked(f.item(), f.score())).toList();
            }
        };
        return hits(c, collectionId, ranked);
    }

    /**
     * The {@code n} nearest chunks passing the filter, asking the graph for {@code candidates}; scores are cosine
     * similarities.
     */
    private List<Ranked> dense(Connection c, int collectionId, float[] unitVector, Rows.Clause filter, int n, int candidates)
            throws SQLException {
        // The driver prepares a statement on the server after a few runs; a generic plan cannot see the filter values
        // and may scan every chunk. Filtered searches are planned for their own values instead.
        if (filter != Rows.Clause.NONE) setLocal(c, "plan_cache_mode", "force_custom_plan");
        // The vector is bound as a value of type vector, not as text cast in the statement: a cached generic plan would
        // otherwise parse the text again for every distance it computes (several times slower).
        String sql = "SELECT row_id, embedding <=> ? AS distance FROM " + Rows.chunks(collectionId)
                + " WHERE " + filter.sql() + " ORDER BY distance LIMIT ?";
        List<Ranked> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            PGobject vector = new PGobject();
            vector.setType("vector");
            vector.setValue(Rows.vector(unitVector));
            ps.setObject(1, vector);
            int next = filter.bind(ps, 2);
            ps.setInt(next, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new Ranked(rs.getLong(1), (float) (1 - rs.getDouble(2))));
            }
        }
        rows.sort(Comparator.comparingDouble((Ranked r) -> -r.score()).thenComparingLong(Ranked::rowId));
        return rows;
    }

    /**
     * The {@code n} best chunks by BM25 (k1 0.9, b 0.4, as Lucene's defaults) among those containing any of the
     * query's lexemes (english configuration) and passing the filter, in one statement that reads postings only: the
     * collection's postings table ({@code keel_pgv_terms_N}, one row per lexeme and chunk with the chunk's length, kept
     * by triggers on the chunk table) gives each lexeme's document frequency by counting its entries in the primary
     * key (an index-only scan) and each chunk's score by summing over the entries of the query's lexemes. No chunk's
     * tsvector is read or matched; with a filter, the chunk rows of the candidates are read to check it. A term
     * counts once per chunk (chunks are short, so the term frequency is almost always 1) and a chunk's length is its
     * number of distinct lexemes. The chunk count and mean length come from {@link TextStats}. A query term repeated
     * counts as often as it is repeated.
     */
    private List<Ranked> text(Connection c, int collectionId, String text, Rows.Clause filter, int n) throws SQLException {
        TextStats.Stats stats = textStats.of(c, collectionId);
        String terms = Rows.terms(collectionId);
        // Per query lexeme, its weight qf * idf, idf = ln(1 + (N - df + 0.5) / (df + 0.5)), from its document frequency
        // (one index-only count), and its postings (one index-only scan); per chunk, the sum of weight * (k1 + 1) /
        // (1 + k1 * (1 - b + b * len / mean)), in float8 (numeric arithmetic is ten times slower).
        String scored = "q AS (SELECT lexeme COLLATE \"C\" AS lexeme, coalesce(array_length(positions, 1), 1)::float8 AS qf"
                + " FROM unnest(to_tsvector('english', ?)) LIMIT 64),"
                + " p AS (SELECT d.w, t.row_id, t.len FROM q"
                + " CROSS JOIN LATERAL (SELECT q.qf * ln(1::float8 + (greatest(" + stats.chunks() + "::float8, count(*)) - count(*)"
                + " + 0.5::float8) / (count(*) + 0.5::float8)) AS w FROM " + terms + " t WHERE t.lexeme = q.lexeme) d"
                + " CROSS JOIN LATERAL (SELECT row_id, len FROM " + terms + " t WHERE t.lexeme = q.lexeme) t),"
                + " s AS (SELECT row_id, sum(w * (" + (K1 + 1) + "::float8 / (1::float8 + " + K1 + "::float8 * (1::float8 - "
                + B + "::float8 + " + B + "::float8 * len::float8 / " + Math.max(1e-9, stats.meanLength()) + "::float8))))"
                + " AS score FROM p GROUP BY row_id)";
        String sql;
        if (filter == Rows.Clause.NONE) {
            // No value of this statement changes its best plan: a generic one may be cached.
            sql = "WITH " + scored + " SELECT row_id, score FROM s ORDER BY score DESC, row_id LIMIT ?";
        } else {
            setLocal(c, "plan_cache_mode", "force_custom_plan");
            sql = "WITH " + scored + " SELECT row_id, s.score FROM s JOIN " + Rows.chunks(collectionId) + " USING (row_id)"
                    + " WHERE " + filter.sql() + " ORDER BY s.score DESC, row_id LIMIT ?";
        }
        List<Ranked> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text == null ? "" : text);
            int next = filter.bind(ps, 2);
            ps.setInt(next, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new Ranked(rs.getLong(1), (float) rs.getDouble(2)));
            }
        }
        return rows;
    }

    /**
     * Reads the collection's catalog row and, for a search with vectors, sets the HNSW search settings for this
     * transaction, in one statement: the beam ({@code hnsw.ef_search}, at least the {@code candidates} asked for),
     * the iterative scan and its limit.
     */
    private CatalogRow prepare(Connection c, int collectionId, int candidates) throws SQLException {
        String settings = candidates == 0 ? "" : ", set_config('hnsw.iterative_scan', 'relaxed_order', true),"
                + " set_config('hnsw.ef_search', ?, true), set_config('hnsw.max_scan_tuples', ?, true)";
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CatalogRow.COLUMNS + settings
                + " FROM keel_pgv_collections WHERE id = ?")) {
            int next = 1;
            if (candidates > 0) {
                ps.setString(next++, Integer.toString(config.efSearchFor(candidates)));
                ps.setString(next++, Integer.toString(config.maxScanTuples()));
            }
            ps.setInt(next, collectionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("collection #" + collectionId + " was dropped");
                return CatalogRow.read(rs);
            }
        }
    }

    /** The hits of {@code ranked}, in its order with its scores, read in one statement. */
    private static List<SearchHit> hits(Connection c, int collectionId, List<Ranked> ranked) throws SQLException {
        if (ranked.isEmpty()) return List.of();
        Long[] ids = ranked.stream().map(Ranked::rowId).toArray(Long[]::new);
        Map<Long, SearchHit> byRow = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.HIT_COLUMNS + " FROM " + Rows.chunks(collectionId)
                + " WHERE row_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) byRow.put(rs.getLong(1), Rows.hit(rs, 0));
            }
        }
        List<SearchHit> out = new ArrayList<>(ranked.size());
        for (Ranked r : ranked) out.add(byRow.get(r.rowId()).withScore(r.score()));
        return out;
    }

    /** Forgets the text statistics of a collection, after a commit through this process changed it. */
    void changed(int collectionId) {
        textStats.invalidate(collectionId);
    }

    /** Sets settings for the current transaction, in one round trip; arguments are name, value, name, value, ... */
    private static void setLocal(Connection c, String... nameValues) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < nameValues.length; i += 2) sql.append(i == 0 ? "" : ", ").append("set_config(?, ?, true)");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < nameValues.length; i++) ps.setString(i + 1, nameValues[i]);
            ps.execute();
        }
    }
}
