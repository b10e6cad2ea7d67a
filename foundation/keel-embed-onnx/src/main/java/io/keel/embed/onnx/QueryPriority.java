package io.keel.embed.onnx;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Queries before documents: a document batch about to run waits while a query embedding is pending, so a bulk push
 * does not take the cores a query needs. The wait is bounded ({@code maxWaitNanos} per document batch), so a steady
 * stream of queries slows ingestion down but never stops it. Thread-safe.
 */
final class QueryPriority {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final long maxWaitNanos;
    private int pending;
    private long yields;

    QueryPriority(long maxWaitNanos) {
        if (maxWaitNanos < 0) throw new IllegalArgumentException("maxWaitNanos must be >= 0");
        this.maxWaitNanos = maxWaitNanos;
    }

    /** A query embedding was asked for; documents yield until {@link #queryDone()}. */
    void queryStarted() {
        lock.lock();
        try {
            pending++;
        } finally {
            lock.unlock();
        }
    }

    /** The query embedding asked for by the matching {@link #queryStarted()} is done (or failed). */
    void queryDone() {
        lock.lock();
        try {
            if (--pending == 0) idle.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Called by a document batch before it runs: returns at once when no query is pending, otherwise when the
     * pending queries are done or {@code maxWaitNanos} have passed.
     */
    void awaitDocumentTurn() throws InterruptedException {
        lock.lock();
        try {
            if (pending == 0) return;
            yields++;
            long left = maxWaitNanos;
            while (pending > 0 && left > 0) left = idle.awaitNanos(left);
        } finally {
            lock.unlock();
        }
    }

    /** Query embeddings pending now. */
    int pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /** Document batches that waited for a query since start. */
    long yields() {
        lock.lock();
        try {
            return yields;
        } finally {
            lock.unlock();
        }
    }

    static QueryPriority ofMillis(long millis) {
        return new QueryPriority(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
