package io.keel.app.replay;

import io.keel.core.error.KeelException;
import io.keel.store.sql.Database;
import io.keel.store.sql.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Evaluation runs in the SQL store (SQLite or PostgreSQL, module {@code evaluations}): one row per run with its spec,
 * summary and gate verdict as JSON, and one row per replayed request.
 */
public final class EvaluationStore {
    public static final String MODULE = "evaluations";
    public static final int MAX_LIST = 1000;

    private final Database db;

    /** Uses {@code db}, applying the {@code evaluations} migrations first. */
    public EvaluationStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(MODULE);
    }

    /** Stores {@code run} with its rows in one transaction. */
    public EvaluationRun save(EvaluationRun run) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO evaluation_runs (id, created_at, spec, summary, verdict) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, run.id());
                ps.setLong(2, run.createdAt().toEpochMilli());
                ps.setString(3, EvaluationJson.write(run.spec().toJson()));
                ps.setString(4, EvaluationJson.write(run.summary()));
                ps.setString(5, run.verdict() == null ? null : EvaluationJson.write(run.verdict()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO evaluation_results (run_id, seq, request_id, row_json) VALUES (?, ?, ?, ?)")) {
                int seq = 0;
                for (ReplayRow r : run.rows()) {
                    ps.setString(1, run.id());
                    ps.setInt(2, seq++);
                    ps.setString(3, r.requestId());
                    ps.setString(4, EvaluationJson.write(r));
                    ps.addBatch();
                }
                if (seq > 0) ps.executeBatch();
            }
            return null;
        });
        return run;
    }

    /** The run with its rows, oldest request first. */
    public Optional<EvaluationRun> get(String id) {
        return db.withConnection(c -> {
            List<EvaluationRun> found = runs(c, "SELECT id, created_at, spec, summary, verdict FROM evaluation_runs WHERE id = ?", id);
            if (found.isEmpty()) return Optional.<EvaluationRun>empty();
            List<ReplayRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT row_json FROM evaluation_results WHERE run_id = ? ORDER BY seq")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(EvaluationJson.read(rs.getString(1), ReplayRow.class));
                }
            }
            EvaluationRun r = found.getFirst();
            return Optional.of(new EvaluationRun(r.id(), r.createdAt(), r.spec(), r.summary(), rows, r.verdict()));
        });
    }

    /** The newest runs first, without their rows. */
    public List<EvaluationRun> list(int limit) {
        if (limit < 1 || limit > MAX_LIST) throw KeelException.invalid("'limit' must be between 1 and " + MAX_LIST + "; got " + limit);
        return db.withConnection(c -> runs(c, "SELECT id, created_at, spec, summary, verdict FROM evaluation_runs "
                + "ORDER BY created_at DESC, id DESC LIMIT " + limit));
    }

    private static List<EvaluationRun> runs(Connection c, String sql, String... args) throws SQLException {
        return Rows.query(c, sql, rs -> {
            String verdict = rs.getString(5);
            return new EvaluationRun(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                    ReplaySpec.fromJson(EvaluationJson.tree(rs.getString(3))),
                    EvaluationJson.read(rs.getString(4), ReplaySummary.class), List.of(),
                    verdict == null ? null : EvaluationJson.read(verdict, GateVerdict.class));
        }, (Object[]) args);
    }
}
