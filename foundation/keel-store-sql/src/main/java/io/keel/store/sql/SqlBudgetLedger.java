package io.keel.store.sql;

import io.keel.core.budget.Budget;
import io.keel.core.budget.BudgetExceededException;
import io.keel.core.budget.BudgetLedger;
import io.keel.core.concurrent.Repeat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Budgets enforced in the database, so that limits hold across restarts and across every process sharing it.
 *
 * <p>A reservation is one transaction that, per charge, makes sure the bucket row exists and then adds to its
 * reserved amount with a conditional {@code UPDATE ... WHERE spent + reserved + amount <= limit}. The database's row
 * locks (PostgreSQL) or single writer (SQLite) serialize racing requests, so {@code spent + reserved} never exceeds a
 * limit; zero rows updated rolls the whole reservation back. Every transaction writes before it reads, so SQLite
 * takes the write lock up front and {@code busy_timeout} queues writers instead of failing on a lock upgrade; rows are
 * locked in one global order so PostgreSQL transactions cannot deadlock.
 *
 * <p>Reservations are stored until settled. One older than {@code staleAfter} when a ledger opens belongs to a
 * process that died mid-request, so its amount is given back; should that request still settle, its actual cost is
 * booked all the same.
 */
public final class SqlBudgetLedger implements BudgetLedger {
    /** How old an unsettled reservation must be for the ledger to release it. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(15);
    private static final Duration KEEP_RELEASED = Duration.ofDays(7);
    private static final Logger LOG = Logger.getLogger(SqlBudgetLedger.class.getName());
    private static final String KEY = "scope = ? AND budget_subject = ? AND subject = ? AND period = ? AND bucket = ?";

    private final Database db;
    private final Clock clock;
    /** Releases stale reservations while the ledger is open, so a crashed instance's holds expire without a restart. */
    private final Thread sweeper;

    /**
     * Migrates the budget tables and releases reservations older than {@link #DEFAULT_STALE_AFTER}, now and every few
     * minutes while open.
     */
    public SqlBudgetLedger(Database db) {
        this(db, DEFAULT_STALE_AFTER, Clock.systemUTC());
    }

    /** Migrates the budget tables and releases reservations older than {@code staleAfter}. */
    public SqlBudgetLedger(Database db, Duration staleAfter) {
        this(db, staleAfter, Clock.systemUTC());
    }

    /** @param clock when reservations are made, for their age (not which bucket they charge: that is {@code at}) */
    public SqlBudgetLedger(Database db, Duration staleAfter, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (staleAfter.isNegative()) throw new IllegalArgumentException("staleAfter must be >= 0");
        db.migrate("budgets");
        releaseStale(staleAfter);
        this.sweeper = staleAfter.isZero() ? null
                : Thread.ofVirtual().name("keel-budget-sweeper").start(() -> sweep(staleAfter));
    }

    private void sweep(Duration staleAfter) {
        Duration every = staleAfter.dividedBy(4).compareTo(Duration.ofSeconds(30)) > 0 ? staleAfter.dividedBy(4) : Duration.ofSeconds(30);
        Repeat.every(every, () -> releaseStale(staleAfter),
                e -> LOG.warning("releasing stale budget reservations failed: " + e.getMessage()));
    }

    @Override
    public void close() {
        if (sweeper != null) sweeper.interrupt();
    }

    @Override
    public Reservation reserve(List<Charge> charges, long nanos, Instant at) {
        Objects.requireNonNull(charges, "charges");
        Objects.requireNonNull(at, "at");
        if (nanos < 0) throw new IllegalArgumentException("a reservation must be >= 0 nano-dollars; got " + nanos);
        String id = UUID.randomUUID().toString();
        List<String> buckets = charges.stream().map(ch -> ch.budget().period().bucket(at)).toList();
        Reservation reservation = new Reservation(id, charges, buckets, nanos);
        if (charges.isEmpty()) return reservation;
        List<Key> keys = new ArrayList<>(charges.size());
        for (int i = 0; i < charges.size(); i++) keys.add(Key.of(charges.get(i), buckets.get(i)));
        List<Key> lockOrder = keys.stream().sorted().toList();
        long now = clock.millis();
        return db.inTransaction(c -> {
            for (Key k : lockOrder) {
                long limit = k.charge.budget().limitNanos();
                ensureRow(c, k, limit);
                try (PreparedStatement ps = c.prepareStatement("UPDATE budget_spend SET reserved_nanos = reserved_nanos + ?, "
                        + "limit_nanos = ? WHERE " + KEY + " AND spent_nanos + reserved_nanos + ? <= ?")) {
                    ps.setLong(1, nanos);
                    ps.setLong(2, limit);
                    k.bind(ps, 3);
                    ps.setLong(8, nanos);
                    ps.setLong(9, limit);
                    if (ps.executeUpdate() == 0) throw exceeded(c, k, limit, nanos);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_reservations (id, seq, scope, budget_subject, "
                    + "subject, period, bucket, nanos, created_ms, released) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
                for (int i = 0; i < keys.size(); i++) {
                    ps.setString(1, id);
                    ps.setInt(2, i);
                    keys.get(i).bind(ps, 3);
                    ps.setLong(8, nanos);
                    ps.setLong(9, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return reservation;
        });
    }

    @Override
    public void settle(Reservation reservation, long actualNanos) {
        Objects.requireNonNull(reservation, "reservation");
        if (actualNanos < 0) throw new IllegalArgumentException("an actual cost must be >= 0 nano-dollars; got " + actualNanos);
        if (reservation.charges().isEmpty()) return;
        db.inTransaction(c -> {
            // Deleting first claims the reservation: a second settle finds nothing and changes nothing.
            List<Held> held = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_reservations WHERE id = ? "
                    + "RETURNING scope, budget_subject, subject, period, bucket, nanos, released")) {
                ps.setString(1, reservation.id());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) held.add(Held.read(rs));
                }
            }
            held.sort(Comparator.comparing(Held::key));
            for (Held h : held) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE budget_spend SET spent_nanos = spent_nanos + ?, "
                        + "reserved_nanos = reserved_nanos - ? WHERE " + KEY)) {
                    ps.setLong(1, actualNanos);
                    ps.setLong(2, h.released ? 0 : h.nanos);
                    h.key.bind(ps, 3);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public Spend spend(Charge charge, Instant at) {
        Objects.requireNonNull(charge, "charge");
        Key k = Key.of(charge, charge.budget().period().bucket(at));
        long limit = charge.budget().limitNanos();
        return db.withConnection(c -> read(c, k, limit));
    }

    private static void ensureRow(Connection c, Key k, long limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO budget_spend (scope, budget_subject, subject, period, "
                + "bucket, spent_nanos, reserved_nanos, limit_nanos) VALUES (?, ?, ?, ?, ?, 0, 0, ?) "
                + "ON CONFLICT (scope, budget_subject, subject, period, bucket) DO UPDATE SET limit_nanos = excluded.limit_nanos")) {
            k.bind(ps, 1);
            ps.setLong(6, limit);
            ps.executeUpdate();
        }
    }

    private static Spend read(Connection c, Key k, long limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT spent_nanos, reserved_nanos FROM budget_spend WHERE " + KEY)) {
            k.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Spend(rs.getLong(1), rs.getLong(2), limit) : new Spend(0, 0, limit);
            }
        }
    }

    private static BudgetExceededException exceeded(Connection c, Key k, long limit, long nanos) throws SQLException {
        Spend s = read(c, k, limit);
        Budget b = k.charge.budget();
        return new BudgetExceededException(b, BudgetMessages.exceeded(b, k.charge.subject(), k.bucket, limit,
                s.spentNanos(), s.reservedNanos(), nanos));
    }

    /**
     * Gives back the amounts of reservations made more than {@code staleAfter} ago and not settled (their process
     * died), and forgets released reservations nobody settled within a week. Runs when a ledger opens; a long-lived
     * process sharing PostgreSQL with others may also call it periodically.
     *
     * @return the reservation charges released
     */
    public int releaseStale(Duration staleAfter) {
        long now = clock.millis();
        long cutoff = now - staleAfter.toMillis();
        int released = db.inTransaction(c -> {
            List<Held> stale = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE budget_reservations SET released = 1 WHERE released = 0 "
                    + "AND created_ms <= ? RETURNING scope, budget_subject, subject, period, bucket, nanos, released")) {
                ps.setLong(1, cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) stale.add(Held.read(rs));
                }
            }
            stale.sort(Comparator.comparing(Held::key));
            for (Held h : stale) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE budget_spend SET reserved_nanos = reserved_nanos - ? WHERE " + KEY)) {
                    ps.setLong(1, h.nanos);
                    h.key.bind(ps, 2);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM budget_reservations WHERE released = 1 AND created_ms <= ?")) {
                ps.setLong(1, now - KEEP_RELEASED.toMillis());
                ps.executeUpdate();
            }
            return stale.size();
        });
        if (released > 0) {
            LOG.log(Level.WARNING, "budgets: released " + released + " reservation charges older than " + staleAfter
                    + " left by a process that did not settle them");
        }
        return released;
    }

    /** The primary key of a {@code budget_spend} row; ordered to lock rows in one global order. */
    private record Key(String scope, String budgetSubject, String subject, String period, String bucket, Charge charge)
            implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparing(Key::scope).thenComparing(Key::budgetSubject)
                .thenComparing(Key::subject).thenComparing(Key::period).thenComparing(Key::bucket);

        static Key of(Charge charge, String bucket) {
            Budget b = charge.budget();
            return new Key(b.scope(), b.subject(), Objects.requireNonNull(charge.subject(), "charge subject"),
                    b.period().name(), bucket, charge);
        }

        void bind(PreparedStatement ps, int first) throws SQLException {
            ps.setString(first, scope);
            ps.setString(first + 1, budgetSubject);
            ps.setString(first + 2, subject);
            ps.setString(first + 3, period);
            ps.setString(first + 4, bucket);
        }

        @Override
        public int compareTo(Key o) {
            return ORDER.compare(this, o);
        }
    }

    /** One stored charge of a reservation. */
    private record Held(Key key, long nanos, boolean released) {
        static Held read(ResultSet rs) throws SQLException {
            return new Held(new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), null),
                    rs.getLong(6), rs.getInt(7) != 0);
        }
    }
}
