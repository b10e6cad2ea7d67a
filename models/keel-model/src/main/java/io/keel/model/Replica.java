package io.keel.model;

import io.keel.core.chat.StreamFailedException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One endpoint of a pool, with its in-flight count and its circuit breaker. Thread-safe.
 *
 * @param <M> the client that talks to the endpoint: a {@code ChatModel} in a {@link ReplicaPool}, an embeddings
 *            client in an {@link EmbeddingPool}
 */
public final class Replica<M> {
    /** Breaker state as seen from outside. */
    public enum State { CLOSED, OPEN, HALF_OPEN, COOLING_DOWN }

    private final M model;
    private final String name;
    private final BooleanSupplier probe;
    private final BreakerPolicy policy;
    private final AtomicInteger outstanding = new AtomicInteger();
    private int consecutiveFailures;
    private long openUntil;
    private boolean open;
    private boolean trialInFlight;
    private long coolUntil;

    /**
     * @param probe active health check (e.g. {@code GET /models}); true when healthy. May be null for none.
     */
    public Replica(M model, String name, BooleanSupplier probe, BreakerPolicy policy) {
        this.model = Objects.requireNonNull(model, "model");
        this.name = Objects.requireNonNull(name, "name");
        this.probe = probe;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public M model() {
        return model;
    }

    public String name() {
        return name;
    }

    /** Requests currently in flight on this replica. */
    public int outstanding() {
        return outstanding.get();
    }

    public synchronized State state() {
        long now = System.nanoTime();
        if (open) return now - openUntil >= 0 ? State.HALF_OPEN : State.OPEN;
        if (coolUntil != 0 && now - coolUntil < 0) return State.COOLING_DOWN;
        return State.CLOSED;
    }

    /** Whether a request may be sent now, without taking the half-open trial slot. */
    synchronized boolean available(long now) {
        if (coolUntil != 0 && now - coolUntil < 0) return false;
        if (!open) return true;
        return now - openUntil >= 0 && !trialInFlight;
    }

    /** Claims the replica for one request; false when another caller took the half-open trial first. */
    synchronized boolean acquire(long now) {
        if (!available(now)) return false;
        if (open) trialInFlight = true;
        outstanding.incrementAndGet();
        return true;
    }

    void release() {
        outstanding.decrementAndGet();
    }

    /** Nanotime at which a cooling-down or open replica becomes usable again; 0 when usable now. */
    synchronized long availableAt() {
        long t = 0;
        if (coolUntil != 0) t = coolUntil;
        if (open && openUntil - t > 0) t = openUntil;
        return t;
    }

    synchronized void onSuccess() {
        consecutiveFailures = 0;
        open = false;
        trialInFlight = false;
    }

    /** Records a failed attempt; only failures that say something about the replica's health count. */
    synchronized void onFailure(KeelException e) {
        boolean wasTrial = trialInFlight;
        trialInFlight = false;
        if (e.code() == ErrorCode.RATE_LIMITED) return;
        boolean health = e instanceof StreamFailedException || e.code().retryable();
        if (!health) return;
        consecutiveFailures++;
        if (wasTrial || consecutiveFailures >= policy.failures()) {
            open = true;
            openUntil = System.nanoTime() + policy.openFor().toNanos();
        }
    }

    /** Keeps traffic away for {@code d}, e.g. after a 429 with {@code Retry-After}. */
    synchronized void coolDown(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        if (coolUntil == 0 || until - coolUntil > 0) coolUntil = until;
    }

    /** Runs the active health check, if any: a pass closes the breaker, a failure counts like a failed request. */
    void check() {
        if (probe == null) return;
        boolean ok;
        try {
            ok = probe.getAsBoolean();
        } catch (RuntimeException e) {
            ok = false;
        }
        if (ok) {
            onSuccess();
        } else {
            onFailure(new KeelException(ErrorCode.UNAVAILABLE, "health check of " + name() + " failed"));
        }
    }

    @Override
    public String toString() {
        return name() + "[" + state() + ", in flight " + outstanding() + "]";
    }
}
