package io.keel.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.keel.core.error.ErrorCode;
import io.keel.http.HttpJson;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests a server has in flight, and the drain that lets them finish before it stops.
 *
 * <p>Until {@link #begin()} the filter only counts requests (a streamed answer counts until its last event is written:
 * Helidon runs the handler, which writes the stream, inside the filter). From then on:
 * <ul>
 *   <li>{@code /health/ready} answers 503 {@code {"status":"draining"}}, so load balancers and Kubernetes take the
 *       instance out of rotation; {@code /health/live} still answers 200 (the process is healthy, only leaving);</li>
 *   <li>any other new request is refused with 503 {@code unavailable}, {@code Retry-After: 1} and
 *       {@code Connection: close}: the client retries on another instance;</li>
 *   <li>requests already in flight run to their end; their connections are closed after the response instead of
 *       being kept alive.</li>
 * </ul>
 * {@link #awaitIdle(Duration)} waits for the in-flight count to reach zero.
 */
final class GracefulDrain {
    private static final String READY = "/health/ready";
    private static final String LIVE = "/health/live";

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    /** The filter; register it before the routes (outside the other filters) so it counts every request. */
    Filter filter() {
        return (chain, req, res) -> {
            String path = req.path().path();
            if (path == null) {                 // a malformed request target: the routing's first filter refuses it
                chain.proceed();
                return;
            }
            if (path.equals(LIVE)) {
                chain.proceed();
                return;
            }
            if (path.equals(READY) && draining) {
                res.header(HeaderNames.CONNECTION, "close");
                HttpJson.sendBytes(res, ErrorCode.UNAVAILABLE.httpStatus(), "{\"status\":\"draining\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                throw new CloseConnectionException("draining");
            }
            // Counted before the check: a drain that starts now either sees this request or this request sees the drain.
            inFlight.incrementAndGet();
            try {
                if (draining) {
                    res.header(HeaderNames.CONNECTION, "close");
                    res.header(HeaderNames.RETRY_AFTER, "1");
                    HttpJson.sendError(res, KeelServer.errorEnvelope(path), ErrorCode.UNAVAILABLE,
                            "the server is shutting down; retry on another instance");
                    throw new CloseConnectionException("draining");
                }
                chain.proceed();
                if (draining && res.isSent()) throw new CloseConnectionException("draining: the response is sent");
            } finally {
                if (inFlight.decrementAndGet() == 0 && draining) signalIdle();
            }
        };
    }

    /** Starts draining: readiness turns 503 and new requests are refused. Later calls do nothing. */
    void begin() {
        draining = true;
        if (inFlight.get() == 0) signalIdle();
    }

    boolean draining() {
        return draining;
    }

    /** Requests being served now. */
    int inFlight() {
        return inFlight.get();
    }

    /** Waits until no request is in flight or {@code timeout} passed; true when none is. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0) {
                if (left <= 0) return false;
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void signalIdle() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
