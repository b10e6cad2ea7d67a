package io.keel.store.sql;

import io.keel.core.spi.IngestionJob;
import io.keel.core.spi.IngestionJobStore;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Ingestion jobs in the SQL store ({@code ingestion_jobs} table, SQLite or PostgreSQL); written synchronously. */
public final class SqlIngestionJobStore implements IngestionJobStore {
    public static final String MODULE = "ingestion_jobs";
    private static final String COLUMNS = "id, tenant, state, events, processed, error, result, created_ms, updated_ms";

    private final Database db;

    /** Migrates the {@code ingestion_jobs} table. */
    public SqlIngestionJobStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(MODULE);
    }

    @Override
    public void save(IngestionJob job) {
        Objects.requireNonNull(job, "job");
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ingestion_jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET state = excluded.state, processed = excluded.processed,"
                    + " error = excluded.error, result = excluded.result, updated_ms = excluded.updated_ms")) {
                ps.setString(1, job.id());
                ps.setString(2, job.tenant());
                ps.setString(3, job.state().wireName());
                ps.setInt(4, job.events());
                ps.setInt(5, job.processed());
                ps.setString(6, job.error());
                ps.setString(7, job.result());
                ps.setLong(8, job.createdAt().toEpochMilli());
                ps.setLong(9, job.updatedAt().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public Optional<IngestionJob> find(String id) {
        Objects.requireNonNull(id, "id");
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ingestion_jobs WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.<IngestionJob>empty();
                    return Optional.of(new IngestionJob(rs.getString(1), rs.getString(2), IngestionJob.State.ofWire(rs.getString(3)),
                            rs.getInt(4), rs.getInt(5), rs.getString(6), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)),
                            Instant.ofEpochMilli(rs.getLong(9))));
                }
            }
        });
    }

    @Override
    public int markUnfinishedLost(String reason) {
        Objects.requireNonNull(reason, "reason");
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ingestion_jobs SET state = 'lost', error = ?, updated_ms = ?"
                    + " WHERE state IN ('queued', 'running')")) {
                ps.setString(1, reason);
                ps.setLong(2, System.currentTimeMillis());
                return ps.executeUpdate();
            }
        });
    }
}
