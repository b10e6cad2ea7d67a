package io.keel.store.sql;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditLog;
import io.keel.core.security.AuditQuery;
import io.keel.core.security.AuditVerification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The audit log in the SQL store: an append-only, hash-chained table ({@code audit_log}) with a one-row head
 * ({@code audit_head}) holding the last position and hash.
 *
 * <p>An append first bumps the head ({@code UPDATE ... RETURNING}): on PostgreSQL its row lock makes every other
 * append, from any instance, wait until this one commits; on SQLite the update takes the single write lock up front.
 * So appends form one chain with no gaps however many threads and instances write. Stores that change state in the
 * same database (the model registry, prompt labels) append with {@link #append(Connection, AuditEvent)} inside their
 * own transaction, so a change and its audit entry commit together or not at all.
 *
 * <p>Triggers refuse {@code UPDATE} and {@code DELETE} on the table. That stops mistakes, not someone who owns the
 * database: {@link #verify()} is what detects an edited, removed, inserted or reordered entry, and exporting the head
 * hash elsewhere detects a rewrite of the whole table.
 */
public final class SqlAuditLog implements AuditLog {
    public static final String MODULE = "audit";
    private static final String COLUMNS = "seq, at_ms, actor_tenant, actor_id, action, target, details, prev_hash, hash";

    private final Database db;
    private final Clock clock;

    /** Migrates the audit tables; events without a time are stamped by the system clock. */
    public SqlAuditLog(Database db) {
        this(db, Clock.systemUTC());
    }

    /** @param clock stamps events that carry no time (to the millisecond) */
    public SqlAuditLog(Database db, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.clock = Objects.requireNonNull(clock, "clock");
        db.migrate(MODULE);
    }

    /** The database this log lives in; {@link #append(Connection, AuditEvent)} needs a connection to the same one. */
    public Database database() {
        return db;
    }

    @Override
    public AuditEntry append(AuditEvent event) {
        Objects.requireNonNull(event, "event");
        return db.inTransaction(c -> append(c, event));
    }

    /**
     * Appends inside the caller's open transaction on a connection of {@link #database()}: the entry commits or rolls
     * back with the caller's change. Holds the head's lock until that transaction ends.
     */
    public AuditEntry append(Connection c, AuditEvent event) throws SQLException {
        Objects.requireNonNull(event, "event");
        Instant at = Instant.ofEpochMilli((event.at() == null ? clock.instant() : event.at()).toEpochMilli());
        long seq;
        String prev;
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new IllegalStateException("the audit_head row is missing; the audit migration did not run");
            seq = rs.getLong(1);
            prev = rs.getString(2);
        }
        AuditActor actor = event.actor();
        String details = AuditChain.canonicalDetails(event.details());
        AuditChain.Row row = new AuditChain.Row(seq, at.toEpochMilli(), actor.tenant(), actor.id(), event.action(),
                event.target(), details, prev, null);
        String hash = row.computeHash();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, row.atMs());
            ps.setString(3, row.actorTenant());
            ps.setString(4, row.actorId());
            ps.setString(5, row.action());
            ps.setString(6, row.target());
            ps.setString(7, details);
            ps.setString(8, prev);
            ps.setString(9, hash);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_head SET hash = ? WHERE id = 1")) {
            ps.setString(1, hash);
            ps.executeUpdate();
        }
        return new AuditEntry(seq, event.at(at), prev, hash);
    }

    @Override
    public List<AuditEntry> find(AuditQuery q) {
        Objects.requireNonNull(q, "query");
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.from() != null) {
            sql.append(" AND at_ms >= ?");
            params.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND at_ms < ?");
            params.add(q.to().toEpochMilli());
        }
        eq(sql, params, "actor_tenant", q.actorTenant());
        eq(sql, params, "actor_id", q.actorId());
        eq(sql, params, "action", q.action());
        if (q.beforeSeq() != null) {
            sql.append(" AND seq < ?");
            params.add(q.beforeSeq());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        params.add(q.limit());
        return db.withConnection(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 0;
                for (Object p : params) ps.setObject(++i, p);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(entry(read(rs)));
                }
            }
            return out;
        });
    }

    /** Walks every entry in position order (streamed, so memory stays flat) and checks the head against the last. */
    @Override
    public AuditVerification verify() {
        return db.inTransaction(c -> {
            long headSeq;
            String headHash;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, hash FROM audit_head WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("the audit_head row is missing; the audit migration did not run");
                headSeq = rs.getLong(1);
                headHash = rs.getString(2);
            }
            AuditChain.Walk walk = new AuditChain.Walk();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM audit_log ORDER BY seq")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && walk.accept(read(rs))) {
                        // keep walking
                    }
                }
            }
            return walk.finish(headSeq, headHash);
        });
    }

    private static AuditChain.Row read(ResultSet rs) throws SQLException {
        return new AuditChain.Row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9));
    }

    private static AuditEntry entry(AuditChain.Row r) {
        try {
            AuditEvent e = new AuditEvent(Instant.ofEpochMilli(r.atMs()), new AuditActor(r.actorTenant(), r.actorId()),
                    r.action(), r.target(), AuditChain.parseDetails(r.details()));
            return new AuditEntry(r.seq(), e, r.prevHash(), r.hash());
        } catch (IllegalArgumentException e) {
            throw new KeelException(ErrorCode.INTERNAL, "audit entry " + r.seq() + " cannot be read (" + e.getMessage()
                    + "); it was changed outside Keel: run keel audit verify");
        }
    }

    private static void eq(StringBuilder sql, List<Object> params, String column, String value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(value);
        }
    }
}
