package io.keel.store.sql;

import io.keel.core.budget.Nanos;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.OutcomeSums;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestPurge;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The request log on SQLite or PostgreSQL: every request, queryable by id and filter, and summed for cost attribution.
 *
 * <p>Writes are asynchronous so that logging stays off the request's latency: {@link #record} only queues the record
 * (blocking when the queue is full, never dropping), and one writer thread commits queued records in batches. Reads
 * see every record recorded before them: {@link #get} looks in the queue first, {@link #find} and {@link #usage}
 * {@link #flush} before querying. {@link #close} commits everything queued; it does not close the {@link Database},
 * which other stores share.
 *
 * <p>Times are stored at millisecond precision: a record read back has its {@code time} truncated to the millisecond;
 * every other field round-trips exactly. Costs are summed as nano-dollars, so totals are exact.
 */
public final class SqlRequestStore implements RequestStore {
    /** Records queued before {@link #record} blocks. */
    public static final int DEFAULT_CAPACITY = 16_384;
    /** Most records committed in one transaction. */
    public static final int DEFAULT_BATCH = 512;

    private final Database db;
    private final RequestSql sql;
    private final RequestWriter writer;

    /** Migrates the {@code requests} tables and starts the writer with the default queue and batch sizes. */
    public SqlRequestStore(Database db) {
        this(db, DEFAULT_CAPACITY, DEFAULT_BATCH);
    }

    /**
     * @param capacity records queued before {@link #record} blocks
     * @param maxBatch most records committed in one transaction
     */
    public SqlRequestStore(Database db, int capacity, int maxBatch) {
        this(db, capacity, maxBatch, 5, 100);
    }

    /**
     * @param attempts      tries per batch before it is written row by row (and failing rows are given up on)
     * @param backoffMillis wait after the first failed try, doubling after each further one
     */
    SqlRequestStore(Database db, int capacity, int maxBatch, int attempts, long backoffMillis) {
        this.db = Objects.requireNonNull(db, "db");
        db.migrate("requests");
        this.sql = new RequestSql(db.dialect());
        this.writer = new RequestWriter(db, sql.upsert(), capacity, maxBatch, attempts, backoffMillis);
    }

    /** Queues the record for the writer thread; blocks only while the queue is full. Never throws on a write failure. */
    @Override
    public void record(RequestRecord record) {
        writer.submit(Objects.requireNonNull(record, "record"));
    }

    /**
     * How long a read waits for the records recorded before it to be committed: reads see their own writes when the
     * database is healthy, and do not wait out an outage (the writer retries for longer) when it is not.
     */
    static final long READ_FLUSH_WAIT_MILLIS = 2_000;

    /** Waits until every record recorded before this call is committed (or logged as lost). */
    public void flush() {
        writer.flush();
    }

    /** Records committed so far by this store. */
    public long written() {
        return writer.written();
    }

    /** Records this store gave up on after retries (each logged at SEVERE); zero unless the database failed. */
    public long failed() {
        return writer.failed();
    }

    @Override
    public Optional<RequestRecord> get(String id) {
        Objects.requireNonNull(id, "id");
        RequestRecord queued = writer.pending(id);
        if (queued != null) return Optional.of(asStored(queued));
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.byId())) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(RequestRows.read(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<RequestRecord> find(RequestFilter filter) {
        Objects.requireNonNull(filter, "filter");
        writer.flush(READ_FLUSH_WAIT_MILLIS);
        return db.withConnection(c -> {
            Long before = null;
            if (filter.before() != null) {
                before = timeOf(c, filter.before());
                if (before == null) {
                    throw new KeelException(ErrorCode.INVALID_REQUEST, "'before' names no recorded request: '" + filter.before() + "'");
                }
            }
            RequestSql.Query q = sql.find(filter, before);
            List<RequestRecord> out = new ArrayList<>(Math.min(filter.limit(), 256));
            try (PreparedStatement ps = prepare(c, q); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(RequestRows.read(rs));
            }
            return out;
        });
    }

    @Override
    public List<RequestRecord> forExperiment(String experiment) {
        Objects.requireNonNull(experiment, "experiment");
        writer.flush(READ_FLUSH_WAIT_MILLIS);
        return db.withConnection(c -> {
            List<RequestRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.forExperiment())) {
                ExperimentMatch.bind(ps, 1, experiment);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(RequestRows.read(rs));
                }
            }
            return out;
        });
    }

    /**
     * Reads the {@code experiment_sums} rows the request table's triggers keep (migration V5): a few rows per variant
     * whatever the experiment's size. Commits what is queued first, like every read.
     */
    @Override
    public List<OutcomeSums> outcomeSums(String experiment) {
        Objects.requireNonNull(experiment, "experiment");
        writer.flush(READ_FLUSH_WAIT_MILLIS);
        return OutcomeSumsSql.read(db, "experiment_sums", experiment);
    }

    @Override
    public List<UsageRow> usage(UsageQuery query) {
        Objects.requireNonNull(query, "query");
        writer.flush(READ_FLUSH_WAIT_MILLIS);
        RequestSql.Query q = sql.usage(query);
        List<String> dims = query.groupBy();
        List<UsageRow> rows = db.withConnection(c -> {
            List<UsageRow> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, q); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, String> group = new LinkedHashMap<>();
                    int i = 0;
                    for (String d : dims) group.put(d, rs.getString(++i));
                    out.add(new UsageRow(java.util.Collections.unmodifiableMap(group), rs.getLong(++i), rs.getLong(++i),
                            rs.getLong(++i), rs.getLong(++i), rs.getLong(++i), usd(rs.getBigDecimal(++i))));
                }
            }
            return out;
        });
        rows.sort(Comparator.comparing(UsageRow::costUsd).reversed().thenComparing(r -> r, SqlRequestStore::byGroup));
        return rows;
    }

    /**
     * Commits what is queued, then deletes the selected rows in one statement: the question, answer and retrieved
     * context are columns of the row, so nothing of an erased request stays behind.
     */
    @Override
    public int purge(RequestPurge purge) {
        Objects.requireNonNull(purge, "purge");
        writer.flush(READ_FLUSH_WAIT_MILLIS);
        RequestSql.Query q = sql.purge(purge);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = prepare(c, q)) {
                return ps.executeUpdate();
            }
        });
    }

    /** Commits everything recorded so far and stops the writer thread; later records are written synchronously. */
    @Override
    public void close() {
        writer.close();
    }

    /** A queued record as it will read back once committed: its time truncated to the millisecond. */
    private static RequestRecord asStored(RequestRecord r) {
        Instant ms = r.time().truncatedTo(ChronoUnit.MILLIS);
        return ms.equals(r.time()) ? r : r.toBuilder().time(ms).build();
    }

    private Long timeOf(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.timeOf())) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static PreparedStatement prepare(Connection c, RequestSql.Query q) throws SQLException {
        PreparedStatement ps = c.prepareStatement(q.sql());
        try {
            int i = 0;
            for (Object p : q.params()) ps.setObject(++i, p);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** SUM of an empty set is NULL; PostgreSQL sums BIGINT as NUMERIC, SQLite as INTEGER. Both are whole nanos. */
    private static BigDecimal usd(BigDecimal sumNanos) {
        return sumNanos == null ? Nanos.toUsd(0) : Nanos.toUsd(sumNanos.longValueExact());
    }

    /** Group values in order, nulls last. */
    private static int byGroup(UsageRow a, UsageRow b) {
        var ia = a.group().values().iterator();
        var ib = b.group().values().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            String x = ia.next();
            String y = ib.next();
            int c = x == null ? (y == null ? 0 : 1) : y == null ? -1 : x.compareTo(y);
            if (c != 0) return c;
        }
        return 0;
    }
}
