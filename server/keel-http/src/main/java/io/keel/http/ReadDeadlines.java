package io.keel.http;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines on reading a request: its headers must arrive within {@code server.header_timeout} of its first line, and
 * each read of its body within {@code server.read_timeout}, the whole body within {@code server.body_timeout}. A
 * connection thread past its deadline is interrupted, which closes its socket (a virtual thread blocked in a socket read
 * is woken that way), so a client sending nothing or a byte now and then holds a connection for a bounded time.
 *
 * <p>The web server calls {@link #listener()} when a request's first line and headers have been read; a route's body
 * reads go through {@link RequestBody#stream}, which finds this in the request context ({@link #filter()} puts it there).
 */
public final class ReadDeadlines implements AutoCloseable {
    private final Duration headerTimeout;
    private final Duration readTimeout;
    private final Duration bodyTimeout;
    private final Map<Thread, Long> deadlines = new HashMap<>();   // guarded by itself
    private final Map<Thread, Boolean> fired = new HashMap<>();    // guarded by deadlines
    private final ScheduledExecutorService timer;

    public ReadDeadlines(Duration headerTimeout, Duration readTimeout, Duration bodyTimeout) {
        this.headerTimeout = headerTimeout;
        this.readTimeout = readTimeout;
        this.bodyTimeout = bodyTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "keel-read-deadlines");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(10, Math.min(250, Math.min(headerTimeout.toMillis(), readTimeout.toMillis()) / 4));
        timer.scheduleAtFixedRate(this::expire, tick, tick, TimeUnit.MILLISECONDS);
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /** The current thread must finish what it reads by {@code deadlineNanos} ({@link System#nanoTime()}). */
    void until(long deadlineNanos) {
        synchronized (deadlines) {
            deadlines.put(Thread.currentThread(), deadlineNanos);
        }
    }

    /**
     * The current thread's read ended; true when its deadline passed first (its socket is then closed). A deadline that
     * fired just as the read returned leaves no interrupt behind.
     */
    boolean clear() {
        Thread t = Thread.currentThread();
        synchronized (deadlines) {
            deadlines.remove(t);
            if (fired.remove(t) == null) return false;
            Thread.interrupted();
            return true;
        }
    }

    private void expire() {
        long now = System.nanoTime();
        synchronized (deadlines) {
            fired.keySet().removeIf(t -> !t.isAlive());
            var it = deadlines.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                Thread t = e.getKey();
                if (!t.isAlive()) {
                    it.remove();
                } else if (now - e.getValue() > 0) {
                    it.remove();
                    fired.put(t, Boolean.TRUE);
                    t.interrupt();
                }
            }
        }
    }

    /** Starts the header deadline at a request's first line and ends it with its headers (or its answer). */
    public Http1ConnectionListener listener() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                until(System.nanoTime() + headerTimeout.toNanos());
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                clear();
            }

            @Override
            public void status(ConnectionContext ctx, Status status) {
                clear();
            }
        };
    }

    /** Makes these deadlines apply to the body reads of every request ({@link RequestBody#stream}). */
    public Filter filter() {
        return (chain, req, res) -> {
            req.context().register(this);
            chain.proceed();
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
