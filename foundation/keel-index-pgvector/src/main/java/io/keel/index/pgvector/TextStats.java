package io.keel.index.pgvector;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collection-wide numbers BM25 needs besides document frequencies: how many chunks a collection holds and their
 * mean length in distinct lexemes. Counting them reads every chunk, so they are kept for {@link #TTL_NANOS} (like
 * Lucene's statistics, which also lag deletes until merges): scores drift by a few percent at most as a collection
 * grows between refreshes, and rankings within one query not at all.
 */
final class TextStats {
    static final long TTL_NANOS = 30_000_000_000L;

    record Stats(long chunks, double meanLength, long at) {
    }

    private final Map<Integer, Stats> cached = new ConcurrentHashMap<>();

    Stats of(Connection c, int collectionId) throws SQLException {
        Stats s = cached.get(collectionId);
        long now = System.nanoTime();
        if (s != null && now - s.at() < TTL_NANOS) return s;
        try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*), coalesce(avg(length(body)), 0) FROM "
                + Rows.chunks(collectionId))) {
            rs.next();
            s = new Stats(rs.getLong(1), rs.getDouble(2), now);
        }
        cached.put(collectionId, s);
        return s;
    }

    void invalidate(int collectionId) {
        cached.remove(collectionId);
    }
}
