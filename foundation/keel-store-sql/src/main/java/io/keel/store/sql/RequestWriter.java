package io.keel.store.sql;

import io.keel.core.spi.RequestRecord;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for the request log: callers enqueue, one thread drains up to {@code maxBatch} records and inserts
 * them in one transaction with one batched statement. A commit costs the same for one row as for hundreds, so this
 * keeps the request thread's cost to a queue insert and the database's to one commit per batch.
 *
 * <p>The queue is bounded and {@link #submit} blocks when it is full: a slow database slows requests down rather
 * than losing records or memory. A failing batch is retried with backoff, then written row by row so one bad record
 * cannot sink its neighbours; rows that still fail are logged at SEVERE and counted in {@link #failed()}.
 */
final class RequestWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqlRequestStore.class.getName());
    private static final Object STOP = new Object();

    /** A {@link #flush} marker: completed once every record queued before it is committed (or given up on). */
    private record Barrier(CompletableFuture<Void> done) {
    }

    private final Database db;
    private final String upsert;
    private final int maxBatch;
    private final int attempts;
    private final long backoffMillis;
    private final BlockingQueue<Object> queue;
    /** Records queued or being written, by id: what {@code get} must see before the database does. */
    private final ConcurrentHashMap<String, RequestRecord> pending = new ConcurrentHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Object syncWrite = new Object();
    private final Thread thread;
    private volatile boolean closed;

    RequestWriter(Database db, String upsert, int capacity, int maxBatch, int attempts, long backoffMillis) {
        if (capacity < 1 || maxBatch < 1 || attempts < 1) throw new IllegalArgumentException("capacity, batch and attempts must be >= 1");
        this.db = db;
        this.upsert = upsert;
        this.maxBatch = maxBatch;
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
        this.queue = new LinkedBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().name("keel-request-log-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Queues {@code r}; blocks while the queue is full. After {@link #close} it writes synchronously instead. */
    void submit(RequestRecord r) {
        if (closed) {
            writeNow(List.of(r));
            return;
        }
        pending.put(r.id(), r);
        put(r);
        if (closed) rescueStranded();
    }

    /** The record with this id when it is queued or being written, else null. */
    RequestRecord pending(String id) {
        return pending.get(id);
    }

    /** Returns once every record submitted before this call is committed (or logged as failed). */
    void flush() {
        flush(Long.MAX_VALUE);
    }

    /**
     * Like {@link #flush()}, but returns after {@code maxWaitMillis} even if the writer has not got there (the database
     * is failing and the writer retrying): a reader then sees what is committed instead of waiting out the outage.
     *
     * @return whether everything submitted before the call was committed (or logged as failed) in time
     */
    boolean flush(long maxWaitMillis) {
        if (closed) {
            rescueStranded();
            return true;
        }
        long deadline = maxWaitMillis == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        CompletableFuture<Void> done = new CompletableFuture<>();
        put(new Barrier(done));
        boolean interrupted = false;
        while (!done.isDone()) {
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) break;
            try {
                done.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!thread.isAlive()) rescueStranded();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return done.isDone();
    }

    long written() {
        return written.get();
    }

    long failed() {
        return failed.get();
    }

    /** Stops accepting work for the writer thread, writes everything queued and waits for it to commit. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            put(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        rescueStranded();
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void put(Object item) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(item);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // never drop a record: keep waiting, restore the flag afterwards
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void run() {
        List<Object> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() ends the writer, through STOP
            }
            queue.drainTo(batch, maxBatch - 1);
            stop = batch.contains(STOP);
            process(batch);
            batch.clear();
        }
    }

    private void process(List<Object> batch) {
        List<RequestRecord> records = new ArrayList<>(batch.size());
        for (Object o : batch) if (o instanceof RequestRecord r) records.add(r);
        try {
            if (!records.isEmpty()) write(records);
        } catch (RuntimeException | Error e) {
            failed.addAndGet(records.size());
            LOG.log(Level.SEVERE, "request log: LOST " + records.size() + " records: " + cause(e), e);
        } finally {
            for (RequestRecord r : records) pending.remove(r.id(), r);
            for (Object o : batch) if (o instanceof Barrier b) b.done().complete(null);
        }
    }

    /** After close: writes (on the calling thread) whatever a racing submit left behind the writer's STOP. */
    private void rescueStranded() {
        if (thread.isAlive()) return; // the writer will still see it
        synchronized (syncWrite) {
            List<Object> left = new ArrayList<>();
            queue.drainTo(left);
            left.remove(STOP);
            if (!left.isEmpty()) process(left);
        }
    }

    private void writeNow(List<RequestRecord> records) {
        synchronized (syncWrite) {
            try {
                write(records);
            } catch (RuntimeException e) {
                failed.addAndGet(records.size());
                LOG.log(Level.SEVERE, "request log: LOST " + records.size() + " records: " + cause(e), e);
            }
        }
    }

    /** One transaction for the batch, retried with doubling backoff; then row by row, logging what still fails. */
    private void write(List<RequestRecord> records) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                insert(records);
                written.addAndGet(records.size());
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.severe("request log: writing a batch of " + records.size() + " records failed (attempt " + attempt
                        + " of " + attempts + "): " + cause(e));
                if (attempt < attempts) sleep(backoffMillis << (attempt - 1));
            }
        }
        if (records.size() == 1) {
            lost(records.getFirst(), last);
            return;
        }
        for (RequestRecord r : records) {
            try {
                insert(List.of(r));
                written.incrementAndGet();
            } catch (RuntimeException e) {
                lost(r, e);
            }
        }
    }

    private void lost(RequestRecord r, RuntimeException e) {
        failed.incrementAndGet();
        LOG.log(Level.SEVERE, "request log: LOST the record of request " + r.id() + " after " + attempts
                + " attempts: " + cause(e), e);
    }

    /** The innermost message, without the statement text some drivers put in their batch exceptions. */
    static String cause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    private void insert(List<RequestRecord> records) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
                for (RequestRecord r : records) {
                    RequestRows.bind(ps, r);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
