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
 * <p>Text search matches any of the query's lexemes (english configuration) and ranks by {@code ts_rank_cd}; hybrid
 * fuses the two lists with {@link RankFusion}, the fusion the Lucene index uses.
 */
final class PgSearches {
    private record Row(long rowId, SearchHit hit) {
    }

    private final PgVectorIndexConfig config;

    PgSearches(PgVectorIndexConfig config) {
        this.config = config;
    }

    /** @param unitVector the normalised query embedding; null in bm25 mode */
    List<SearchHit> search(Connection c, int collectionId, Query query, float[] unitVector) throws SQLException {
        Rows.Clause filter = Rows.filter(query.filters());
        int topK = query.topK();
        return switch (query.mode()) {
            case DENSE -> hits(dense(c, collectionId, unitVector, filter, topK, Math.max(topK, config.denseCandidates())));
            case BM25 -> hits(text(c, collectionId, query.text(), filter, topK));
            case HYBRID -> {
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
        setLocal(c, "hnsw.iterative_scan", "relaxed_order");
        setLocal(c, "hnsw.ef_search", Integer.toString(config.efSearchFor(candidates)));
        setLocal(c, "hnsw.max_scan_tuples", Integer.toString(config.maxScanTuples()));
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

    /** The {@code n} best chunks by {@code ts_rank_cd} that contain any of the query's lexemes and pass the filter. */
    private List<Row> text(Connection c, int collectionId, String text, Rows.Clause filter, int n) throws SQLException {
        String sql = "SELECT " + Rows.HIT_COLUMNS + ", ts_rank_cd(body, q) AS rank FROM " + Rows.chunks(collectionId)
                + ", (SELECT NULLIF(replace(plainto_tsquery('english', ?)::text, ' & ', ' | '), '')::tsquery AS q) query"
                + " WHERE body @@ q AND " + filter.sql() + " ORDER BY rank DESC, row_id LIMIT ?";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, text == null ? "" : text);
            int next = filter.bind(ps, 2);
            ps.setInt(next, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new Row(rs.getLong(1), Rows.hit(rs, rs.getFloat(9))));
            }
        }
        return rows;
    }

    private static List<SearchHit> hits(List<Row> rows) {
        return rows.stream().map(Row::hit).toList();
    }

    private static void setLocal(Connection c, String name, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.execute();
        }
    }
}
