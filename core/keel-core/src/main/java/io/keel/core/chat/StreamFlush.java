package io.keel.core.chat;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Lets a stream relay batch its output without adding latency. While a {@link ChatModel} reads a stream, a
 * listener called on the reading thread may hand its flush to {@link #defer}: the flush then runs right before the
 * reader next waits for the upstream (or when the stream ends), so events that arrived together leave together, in
 * one write, and an event is never held while the relay waits for the network. Without a reader on the calling thread
 * nothing is deferred and the caller flushes at once.
 */
public final class StreamFlush {
    private static final ThreadLocal<StreamFlush> ACTIVE = new ThreadLocal<>();

    private Flushable pending;

    private StreamFlush() {
    }

    /**
     * Defers {@code target}'s flush until the stream being read on this thread waits for the network or ends.
     *
     * @return false when no stream is being read on this thread: the caller must flush itself
     */
    public static boolean defer(Flushable target) {
        StreamFlush s = ACTIVE.get();
        if (s == null) return false;
        if (s.pending != null && s.pending != target) s.run();
        s.pending = target;
        return true;
    }

    /** Starts deferring on this thread; the reader calls {@link #run()} before each wait and {@link #close()} at the end. */
    public static StreamFlush open() {
        StreamFlush s = new StreamFlush();
        ACTIVE.set(s);
        return s;
    }

    /** Runs the deferred flush, if any; a failure reaches the reader as an {@link UncheckedIOException}. */
    public void run() {
        Flushable f = pending;
        if (f == null) return;
        pending = null;
        try {
            f.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops deferring on this thread and runs what is still deferred. */
    public void close() {
        ACTIVE.remove();
        run();
    }

    /** As {@link #close()} when the stream already failed: a failing flush must not hide that failure. */
    public void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // the relay learns that the client is gone on its next write
        }
    }
}
