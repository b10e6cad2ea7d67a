package io.keel.store.sql;

import io.keel.core.answer.Caller;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.FeedbackStore;
import io.keel.core.spi.OutcomeSums;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** User feedback in the SQL store ({@code feedback} table, SQLite or PostgreSQL); written synchronously. */
public final class SqlFeedbackStore implements FeedbackStore {
    public static final String MODULE = "feedback";
    private static final String COLUMNS = "request_id, experiment, variant, tenant, user_id, app, score, thumbs, comment, time_ms";

    private final Database db;

    /** Migrates the {@code feedback} table. */
    public SqlFeedbackStore(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate(MODULE);
    }

    @Override
    public void add(Feedback f) {
        Objects.requireNonNull(f, "feedback");
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO feedback (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, f.requestId());
                ps.setString(2, f.experiment());
                ps.setString(3, f.variant());
                ps.setString(4, f.rater().tenant());
                ps.setString(5, f.rater().user());
                ps.setString(6, f.rater().app());
                if (f.score() == null) ps.setNull(7, Types.DOUBLE); else ps.setDouble(7, f.score());
                if (f.thumbs() == null) ps.setNull(8, Types.INTEGER); else ps.setInt(8, f.thumbs() ? 1 : 0);
                ps.setString(9, f.comment());
                ps.setLong(10, f.time().toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /** Reads the {@code experiment_feedback_sums} rows the feedback table's triggers keep (migration V2). */
    @Override
    public List<OutcomeSums> outcomeSums(String experiment) {
        Objects.requireNonNull(experiment, "experiment");
        return OutcomeSumsSql.read(db, "experiment_feedback_sums", experiment);
    }

    @Override
    public List<Feedback> forExperiment(String experiment) {
        Objects.requireNonNull(experiment, "experiment");
        return db.withConnection(c -> {
            List<Feedback> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM feedback WHERE " + ExperimentMatch.CONDITION
                    + " ORDER BY time_ms, id")) {
                ExperimentMatch.bind(ps, 1, experiment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double score = rs.getDouble(7);
                        Double s = rs.wasNull() ? null : score;
                        int thumbs = rs.getInt(8);
                        Boolean t = rs.wasNull() ? null : thumbs == 1;
                        out.add(new Feedback(rs.getString(1), rs.getString(2), rs.getString(3),
                                new Caller(rs.getString(4), rs.getString(5), rs.getString(6), null), s, t, rs.getString(9),
                                Instant.ofEpochMilli(rs.getLong(10))));
                    }
                }
            }
            return out;
        });
    }
}
