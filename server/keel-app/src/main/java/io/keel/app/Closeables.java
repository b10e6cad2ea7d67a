package io.keel.app;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The components of one Keel instance in the order they were built, closed in reverse order: what was built last,
 * and may use what came before it, is closed first. Built once by {@link Keel#open}; on a failure part-way, what was
 * built so far is closed the same way. Thread-safe.
 */
final class Closeables implements AutoCloseable {
    private final Deque<AutoCloseable> stack = new ArrayDeque<>();
    private boolean closed;

    /** Registers {@code component} (null is ignored) and returns it. */
    synchronized <T extends AutoCloseable> T add(T component) {
        if (closed) throw new IllegalStateException("already closed");
        if (component != null) stack.push(component);
        return component;
    }

    /**
     * Closes every component, newest first, even when some fail; the first failure is thrown with the later ones
     * suppressed. Later calls do nothing.
     */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                closed = true;
                next = stack.poll();
            }
            if (next == null) break;
            try {
                next.close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException("closing " + next + " failed", e);
                if (failure == null) failure = r;
                else failure.addSuppressed(r);
            }
        }
        if (failure != null) throw failure;
    }

    /** Closes everything after {@code cause} stopped the assembly; failures to close are added to it. */
    void closeAfter(RuntimeException cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
