package io.keel.model;

import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Where the next attempt of a call goes, for any kind of replica: the available replica with the fewest requests in
 * flight, preferring ones this call has not tried; jittered exponential backoff between attempts; replicas cooling
 * down after a {@code Retry-After} or with an open breaker get no traffic, and the selector waits for one only when
 * no other is free. Runs the replicas' active health checks when an interval is given. Thread-safe.
 */
final class ReplicaSelector<M> implements AutoCloseable {
    private final String name;
    private final List<Replica<M>> replicas;
    private final RetryPolicy retry;
    private final Thread healthChecker;

    ReplicaSelector(String name, List<Replica<M>> replicas, RetryPolicy retry, Duration healthCheckInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.replicas = List.copyOf(replicas);
        if (this.replicas.isEmpty()) throw new IllegalArgumentException("a pool needs at least one replica");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.healthChecker = healthCheckInterval == null ? null
                : Thread.ofVirtual().name("keel-health-" + name).start(() -> checkLoop(healthCheckInterval));
    }

    List<Replica<M>> replicas() {
        return replicas;
    }

    int maxAttempts() {
        return retry.maxAttempts();
    }

    /**
     * Runs {@code op} on one replica after another until it succeeds, fails with a non-retryable error, or the retry
     * policy's attempts are used up (then the last failure is thrown).
     */
    <T> T call(ReplicaPool.Attempts attempts, Function<Replica<M>, T> op) {
        Set<Replica<M>> tried = new HashSet<>();
        KeelException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Replica<M> r = acquire(tried, last, attempt);
            attempts.record(r);
            try {
                T result = op.apply(r);
                r.onSuccess();
                return result;
            } catch (KeelException e) {
                r.onFailure(e);
                last = noteFailure(r, e);
                if (!e.retryable()) throw e;
            } finally {
                r.release();
            }
        }
        throw last;
    }

    /** Picks the replica for attempt {@code attempt}, waiting out backoff and {@code Retry-After} as needed. */
    Replica<M> acquire(Set<Replica<M>> tried, KeelException last, int attempt) {
        if (attempt > 1) sleep(retry.delayBefore(attempt, ThreadLocalRandom.current()));
        while (true) {
            long now = System.nanoTime();
            Replica<M> best = pick(tried, now, true);
            if (best == null) best = pick(tried, now, false);
            if (best != null && best.acquire(now)) {
                tried.add(best);
                return best;
            }
            if (best != null) continue;
            long wakeAt = earliest();
            long wait = wakeAt == 0 ? 0 : wakeAt - now;
            if (wakeAt == 0 || wait > retry.maxRetryAfter().toNanos() || allOpen()) {
                if (last != null && !allOpen()) throw last;
                throw new UpstreamException(ErrorCode.UNAVAILABLE, "no replica of model '" + name + "' is available: "
                        + replicas, 0, null, last);
            }
            sleep(Duration.ofNanos(Math.max(wait, 1_000_000)));
        }
    }

    /** Records a failure's {@code Retry-After} on the replica; returns the failure. */
    KeelException noteFailure(Replica<M> r, KeelException e) {
        if (e instanceof UpstreamException u && u.retryAfter().isPresent()) r.coolDown(u.retryAfter().get());
        return e;
    }

    private Replica<M> pick(Set<Replica<M>> tried, long now, boolean untriedOnly) {
        Replica<M> best = null;
        int n = replicas.size();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            Replica<M> r = replicas.get((start + i) % n);
            if (untriedOnly && tried.contains(r)) continue;
            if (!r.available(now)) continue;
            if (best == null || r.outstanding() < best.outstanding()) best = r;
        }
        return best;
    }

    private boolean allOpen() {
        for (Replica<M> r : replicas) {
            if (r.state() != Replica.State.OPEN) return false;
        }
        return true;
    }

    private long earliest() {
        long best = 0;
        for (Replica<M> r : replicas) {
            long t = r.availableAt();
            if (t != 0 && (best == 0 || t - best < 0)) best = t;
        }
        return best;
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) return;
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }

    private void checkLoop(Duration interval) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            for (Replica<M> r : replicas) r.check();
        }
    }

    @Override
    public void close() {
        if (healthChecker != null) healthChecker.interrupt();
    }
}
