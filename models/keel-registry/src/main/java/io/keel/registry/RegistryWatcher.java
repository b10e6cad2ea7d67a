package io.keel.registry;

import io.keel.core.concurrent.Repeat;

import java.time.Duration;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Notices registry changes made by other processes — the CLI promoting a version in the same SQLite file, another
 * server instance on the same PostgreSQL database — by polling {@link ModelRegistry#generation()} (one indexed read)
 * and telling the registry's listeners. This is how a running server starts serving a promoted model without a
 * restart. Changes made through the watched instance itself are told at commit and not repeated.
 *
 * <p>A daemon thread; a failed poll (database briefly unavailable) is logged once per outage and retried on the next
 * tick. Close it before closing the database.
 */
public final class RegistryWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryWatcher.class.getName());

    private final ModelRegistry registry;
    private final long intervalMillis;
    private final Thread thread;
    private volatile boolean running = true;

    private RegistryWatcher(ModelRegistry registry, Duration interval) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the poll interval must be positive; got " + interval);
        this.intervalMillis = interval.toMillis();
        this.thread = Thread.ofPlatform().daemon().name("keel-registry-watcher").unstarted(this::loop);
    }

    /** Starts polling {@code registry} every {@code interval}. */
    public static RegistryWatcher start(ModelRegistry registry, Duration interval) {
        RegistryWatcher w = new RegistryWatcher(registry, interval);
        w.thread.start();
        return w;
    }

    private void loop() {
        Repeat.every(Duration.ofMillis(intervalMillis), this::poll, this::failed);
    }

    private boolean failing; // the watcher thread's own

    private void poll() {
        if (!running) {
            Thread.currentThread().interrupt(); // closed: the next sleep ends the loop
            return;
        }
        registry.checkForExternalChanges();
        if (failing) LOG.info("the model registry is readable again");
        failing = false;
    }

    private void failed(RuntimeException e) {
        if (!failing) LOG.log(Level.WARNING, "polling the model registry failed; retrying every " + intervalMillis + " ms: " + e.getMessage(), e);
        failing = true;
    }

    /** Stops polling and waits for the thread to end. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
