package io.keel.store.sql;

import io.keel.core.security.RateWindows;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RateWindows} in the {@code rate_windows} table (migrated as module {@code limits}): on a shared PostgreSQL,
 * every instance counts against the same limit. Each addition is one upsert: {@code INSERT ... ON CONFLICT DO UPDATE
 * SET n = n + amount WHERE n + amount <= limit}, which the database serializes per row, so concurrent instances can
 * never push a count past its limit. The first addition of a newer window deletes rows of windows before the
 * previous one.
 *
 * <p>On PostgreSQL each write commits with {@code synchronous_commit} off for its own transaction only: the count is
 * atomic and visible to every instance at once, but the commit does not wait for the WAL to reach the disk (a crash
 * of the database may forget the last fraction of a second of counts, which a rate limit can afford), so admitting a
 * request costs a round trip rather than a disk flush.
 */
public final class SqlRateWindows implements RateWindows {
    private static final String UPSERT = "INSERT INTO rate_windows (subject, win, n) VALUES (?, ?, ?) "
            + "ON CONFLICT (subject, win) DO UPDATE SET n = rate_windows.n + excluded.n";

    private final Database db;
    private final AtomicLong newest = new AtomicLong(Long.MIN_VALUE);

    public SqlRateWindows(Database db) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate("limits");
    }

    @Override
    public boolean tryAdd(String subject, long window, long amount, long limit) {
        if (amount > limit) return false;
        prune(window);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT + " WHERE rate_windows.n + excluded.n <= ?")) {
                ps.setString(1, subject);
                ps.setLong(2, window);
                ps.setLong(3, amount);
                ps.setLong(4, limit);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void add(String subject, long window, long amount) {
        prune(window);
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                ps.setString(1, subject);
                ps.setLong(2, window);
                ps.setLong(3, amount);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public long count(String subject, long window) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT n FROM rate_windows WHERE subject = ? AND win = ?")) {
                ps.setString(1, subject);
                ps.setLong(2, window);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    private <T> T write(Database.SqlWork<T> work) {
        if (db.dialect() != Dialect.POSTGRESQL) return db.withConnection(work);
        return db.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit TO OFF");
            }
            return work.run(c);
        });
    }

    private void prune(long window) {
        long seen = newest.get();
        if (window <= seen || !newest.compareAndSet(seen, window)) return;
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rate_windows WHERE win < ?")) {
                ps.setLong(1, window - 1);
                return ps.executeUpdate();
            }
        });
    }
}
