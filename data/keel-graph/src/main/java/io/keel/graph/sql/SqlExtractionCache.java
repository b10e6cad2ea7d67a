package io.keel.graph.sql;

import io.keel.graph.llm.ExtractionCache;
import io.keel.store.sql.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The extraction cache in the SQL store (SQLite or PostgreSQL), table {@code graph_extractions} of module
 * {@code graph}: one row per chunk hash, shared by every collection of the instance (the same text asked of the same
 * model with the same prompt is the same answer).
 */
public final class SqlExtractionCache implements ExtractionCache {
    private static final int LOOKUP_BATCH = 200;
    private final Database db;

    public SqlExtractionCache(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(SqlGraphStore.MODULE);
    }

    @Override
    public Map<String, String> get(Collection<String> hashes) {
        Map<String, String> out = new HashMap<>();
        List<String> all = new ArrayList<>(new java.util.LinkedHashSet<>(hashes));
        if (all.isEmpty()) return out;
        db.withConnection(c -> {
            for (int from = 0; from < all.size(); from += LOOKUP_BATCH) {
                List<String> part = all.subList(from, Math.min(all.size(), from + LOOKUP_BATCH));
                String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement("SELECT hash, result FROM graph_extractions WHERE hash IN (" + marks + ")")) {
                    for (int i = 0; i < part.size(); i++) ps.setString(i + 1, part.get(i));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return null;
        });
        return out;
    }

    @Override
    public void put(Map<String, String> entries) {
        if (entries.isEmpty()) return;
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO graph_extractions (hash, result) VALUES (?, ?) "
                    + "ON CONFLICT (hash) DO NOTHING")) {
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }
}
