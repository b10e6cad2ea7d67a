package io.keel.index.pgvector;

import io.keel.core.query.Query;
import io.keel.core.query.RankFusion;
import io.keel.core.query.SearchHit;

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
    private record Row(long rowId, SearchHit hit) {
    }

    /** BM25 term-frequency saturation and length normalisation: Lucene's defaults in Keel. */
    static final double K1 = 0.9;
    static final double B = 0.4;

    private final PgVectorIndexConfig config;
    private final TextStats textStats = new TextStats();

    PgSearches(PgVectorIndexConfig config) {
        this.config = config;
    }

    /** @param unitVector the normalised query embedding; null in bm25 mode */
    List<SearchHit> search(Connection c, int collectionId, Query query, float[] unitVector) throws SQLException {
        Rows.Clause filter = Rows.filter(query.filters());
        int topK = query.topK();
        // The driver prepares a statement on the server after a few runs; a generic plan cannot see the tsquery or the
        // filter values and may scan every chunk. Plans are made for each query's own values instead.
        setLocal(c, "plan_cache_mode", "force_custom_plan");
        return switch (query.mode()) {
            case DENSE -> hits(dense(c, collectionId, unitVector, filter, topK, Math.max(topK, config.denseCandidates())));
            case BM25 -> hits(text(c, collectionId, query.text(), filter, topK));
            case HYBRID, GRAPH -> { // GRAPH: the hybrid pool of graph retrieval, which wraps the index store
                List<Row> dense = dense(c, collectionId, unitVector, filter, Math.max(topK, config.denseCandidates()),
                        Math.max(topK, config.denseCandidates()));
                List<Row> text = text(c, collectionId, query.text(), filter, Math.max(topK, config.textCandidates()));
                Map<Long, SearchHit> byRow = new HashMap<>();
                for (Row r : dense) byRow.put(r.rowId(), r.hit());
                for (Row r : text) byRow.putIfAbsent(r.rowId(), r.hit());
                yield RankFusion.fuse(List.of(dense.stream().map(Row::rowId).toList(), text.stream().map(Row::rowId).toList()),
                                new float[] {config.denseWeight(), config.textWeight()}, config.rrfK(), topK, Comparator.naturalOrder())
                        .stream().map(f -> byRow.get(f.item()).withScore(f.score())).toList();
            }
        };
    }

    /**
     * The {@code n} nearest chunks passing the filter, asking the graph for {@code candidates}; scores are cosine
     * similarities.
     */
    private List<Row> dense(Connection c, int collectionId, float[] unitVector, Rows.Clause filter, int n, int candidates)
            throws SQLException {
        setLocal(c, "hnsw.iterative_scan", "relaxed_order", "hnsw.ef_search", Integer.toString(config.efSearchFor(candidates)),
                "hnsw.max_scan_tuples", Integer.toString(config.maxScanTuples()));
        String sql = "SELECT " + Rows.HIT_COLUMNS + ", embedding <=> ?::vector AS distance FROM " + Rows.chunks(collectionId)
                + " WHERE " + filter.sql() + " ORDER BY distance LIMIT ?";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, Rows.vector(unitVector));
            int next = filter.bind(ps, 2);
            ps.setInt(next, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double distance = rs.getDouble(9);
                    rows.add(new Row(rs.getLong(1), Rows.hit(rs, (float) (1 - distance))));
                }
            }
        }
        rows.sort(Comparator.comparingDouble((Row r) -> -r.hit().score()).thenComparingLong(Row::rowId));
        return rows;
    }

    /**
     * The {@code n} best chunks by BM25 (k1 0.9, b 0.4, as Lucene's defaults) among those containing any of the
     * query's lexemes and passing the filter. One pass over the matching rows (found through the GIN index) computes
     * each lexeme's document frequency exactly and each row's score; a term counts once per chunk (chunks are short,
     * so the term frequency is almost always 1) and a chunk's length is its number of distinct lexemes. The chunk count
     * and mean length come from {@link TextStats}. A query term repeated counts as often as it is repeated.
     */
    private List<Row> text(Connection c, int collectionId, String text, Rows.Clause filter, int n) throws SQLException {
        Map<String, Integer> terms = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT lexeme, coalesce(array_length(positions, 1), 1) FROM unnest(to_tsvector('english', ?)) LIMIT 64")) {
            ps.setString(1, text == null ? "" : text);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) terms.put(rs.getString(1), rs.getInt(2));
            }
        }
        if (terms.isEmpty()) return List.of();
        TextStats.Stats stats = textStats.of(c, collectionId);
        List<String> lexemes = new ArrayList<>(terms.keySet());
        StringBuilder flags = new StringBuilder();
        StringBuilder weights = new StringBuilder();
        StringBuilder score = new StringBuilder("0::float8");
        for (int i = 0; i < lexemes.size(); i++) {
            // qf * idf, idf = ln(1 + (N - df + 0.5) / (df + 0.5)) in float8 (numeric arithmetic is ten times slower)
            String d = "count(*) FILTER (WHERE h" + i + ")::float8";
            flags.append(", body @@ ?::tsquery AS h").append(i);
            weights.append(i == 0 ? "" : ", ").append(terms.get(lexemes.get(i))).append("::float8 * ln(1::float8 + (greatest(")
                    .append(stats.chunks()).append("::float8, ").append(d).append(") - ").append(d).append(" + 0.5::float8) / (")
                    .append(d).append(" + 0.5::float8)) AS w").append(i);
            score.append(" + CASE WHEN h").append(i).append(" THEN w").append(i).append(" ELSE 0::float8 END");
        }
        String any = String.join(" | ", lexemes.stream().map(PgSearches::quoted).toList());
        String chunks = Rows.chunks(collectionId);
        String norm = "(" + (K1 + 1) + "::float8 / (1::float8 + " + K1 + "::float8 * (1::float8 - " + B + "::float8 + "
                + B + "::float8 * m.len::float8 / " + Math.max(1e-9, stats.meanLength()) + "::float8)))";
        String sql = "WITH m AS MATERIALIZED (SELECT row_id, length(body) AS len, (" + filter.sql() + ") AS pass" + flags
                + " FROM " + chunks + " WHERE body @@ ?::tsquery), w AS (SELECT " + weights + " FROM m),"
                + " s AS (SELECT m.row_id, (" + score + ") * " + norm + " AS score FROM m, w WHERE m.pass"
                + " ORDER BY score DESC, m.row_id LIMIT ?)"
                + " SELECT " + Rows.HIT_COLUMNS + ", s.score FROM s JOIN " + chunks + " USING (row_id) ORDER BY s.score DESC, row_id";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int next = filter.bind(ps, 1);
            for (String lexeme : lexemes) ps.setString(next++, quoted(lexeme));
            ps.setString(next++, any);
            ps.setInt(next, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new Row(rs.getLong(1), Rows.hit(rs, rs.getFloat(9))));
            }
        }
        return rows;
    }

    /** A lexeme as a tsquery operand: quoted, so that no character of it is read as an operator. */
    private static String quoted(String lexeme) {
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Forgets the text statistics of a collection, after a commit through this process changed it. */
    void changed(int collectionId) {
        textStats.invalidate(collectionId);
    }

    private static List<SearchHit> hits(List<Row> rows) {
        return rows.stream().map(Row::hit).toList();
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
