package io.keel.store.sql;

import io.keel.core.spi.QuarantineStore;
import io.keel.core.spi.QuarantinedChunk;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Quarantined chunks in the SQL store ({@code quarantine} table, SQLite or PostgreSQL); written synchronously. */
public final class SqlQuarantineStore implements QuarantineStore {
    public static final String MODULE = "quarantine";

    private final Database db;

    /** Migrates the {@code quarantine} table. */
    public SqlQuarantineStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(MODULE);
    }

    @Override
    public void add(QuarantinedChunk c) {
        Objects.requireNonNull(c, "chunk");
        db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO quarantine (collection, document_id, ordinal, reason, text, time_ms)"
                    + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (collection, document_id, ordinal) DO UPDATE SET"
                    + " reason = excluded.reason, text = excluded.text, time_ms = excluded.time_ms,"
                    + " released_ms = NULL, released_by = NULL")) {
                ps.setString(1, c.collection());
                ps.setString(2, c.documentId());
                ps.setInt(3, c.ordinal());
                ps.setString(4, c.reason());
                ps.setString(5, c.text());
                ps.setLong(6, c.at().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<QuarantinedChunk> list(String collection, int limit) {
        return db.withConnection(conn -> {
            List<QuarantinedChunk> out = new ArrayList<>();
            String where = " WHERE released_ms IS NULL" + (collection == null ? "" : " AND collection = ?");
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, collection, document_id, ordinal, reason, text, time_ms"
                    + " FROM quarantine" + where + " ORDER BY time_ms DESC, id DESC LIMIT ?")) {
                int i = 1;
                if (collection != null) ps.setString(i++, collection);
                ps.setInt(i, Math.max(0, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new QuarantinedChunk(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public long count(String collection) {
        return db.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM quarantine WHERE released_ms IS NULL"
                    + (collection == null ? "" : " AND collection = ?"))) {
                if (collection != null) ps.setString(1, collection);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public Optional<QuarantinedChunk> find(long id) {
        return db.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT id, collection, document_id, ordinal, reason, text, time_ms"
                    + " FROM quarantine WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<QuarantinedChunk>empty();
                    return Optional.of(new QuarantinedChunk(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                            rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
                }
            }
        });
    }

    @Override
    public void release(long id, String by, Instant at) {
        db.inTransaction(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE quarantine SET released_ms = ?, released_by = ? WHERE id = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, by);
                ps.setLong(3, id);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean released(String collection, String documentId, int ordinal, String text) {
        return db.withConnection(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM quarantine WHERE collection = ? AND document_id = ?"
                    + " AND ordinal = ? AND text = ? AND released_ms IS NOT NULL")) {
                ps.setString(1, collection);
                ps.setString(2, documentId);
                ps.setInt(3, ordinal);
                ps.setString(4, text);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
