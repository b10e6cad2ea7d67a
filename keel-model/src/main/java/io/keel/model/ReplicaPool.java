package io.keel.model;

import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One logical model served by several replicas (e.g. three vLLM pods). Each attempt goes to the available replica
 * with the fewest requests in flight, preferring replicas this request has not tried yet. Retryable failures are
 * retried under the {@link RetryPolicy} with jittered exponential backoff; a {@code Retry-After} keeps that replica
 * out of rotation for the time asked, and the pool waits for it only when no other replica is free. Replicas whose
 * breaker is open ({@link BreakerPolicy}) get no traffic. The per-attempt timeout is the providers' own.
 *
 * <p>A stream is retried only while it has delivered nothing; once a token reached the listener a failure ends the
 * stream with {@link StreamListener#onError}, never with a retry that would repeat text or a truncated success.
 * Thread-safe.
 */
public final class ReplicaPool implements ChatModel, AutoCloseable {
    private final String name;
    private final List<Replica> replicas;
    private final RetryPolicy retry;
    private final Set<Capability> capabilities;
    private final Thread healthChecker;

    /**
     * @param healthCheckInterval how often to run the replicas' active health checks, or null for none
     */
    public ReplicaPool(String name, List<Replica> replicas, RetryPolicy retry, Duration healthCheckInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.replicas = List.copyOf(replicas);
        if (this.replicas.isEmpty()) throw new IllegalArgumentException("a pool needs at least one replica");
        this.retry = Objects.requireNonNull(retry, "retry");
        EnumSet<Capability> caps = EnumSet.allOf(Capability.class);
        for (Replica r : this.replicas) caps.retainAll(r.model().capabilities());
        this.capabilities = Set.copyOf(caps);
        this.healthChecker = healthCheckInterval == null ? null
                : Thread.ofVirtual().name("keel-health-" + name).start(() -> checkLoop(healthCheckInterval));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, new Attempts());
    }

    ChatResponse chat(ChatRequest request, Attempts attempts) {
        Capability.check(this, request, false);
        Set<Replica> tried = new HashSet<>();
        KeelException last = null;
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Replica r = acquire(tried, last, attempt);
            attempts.record(r);
            try {
                ChatResponse response = r.model().chat(request);
                r.onSuccess();
                return response;
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

    @Override
    public void stream(ChatRequest request, StreamListener listener) {
        stream(request, listener, new Attempts());
    }

    void stream(ChatRequest request, StreamListener listener, Attempts attempts) {
        Objects.requireNonNull(listener, "listener");
        Set<Replica> tried = new HashSet<>();
        KeelException last = null;
        try {
            Capability.check(this, request, true);
        } catch (KeelException e) {
            Terminal.error(listener, e);
            return;
        }
        for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
            Replica r;
            try {
                r = acquire(tried, last, attempt);
            } catch (KeelException e) {
                Terminal.error(listener, e);
                return;
            }
            attempts.record(r);
            HeldTerminalRelay relay = new HeldTerminalRelay(listener);
            try {
                r.model().stream(request, relay);
            } finally {
                r.release();
            }
            if (relay.completed != null) {
                r.onSuccess();
                Terminal.complete(listener, relay.completed);
                return;
            }
            KeelException e = asKeel(relay.error);
            r.onFailure(e);
            last = noteFailure(r, e);
            if (relay.started || !e.retryable()) {
                Terminal.error(listener, relay.error != null ? relay.error : e);
                return;
            }
        }
        Terminal.error(listener, last);
    }

    /** Picks the replica for attempt {@code attempt}, waiting out backoff and {@code Retry-After} as needed. */
    private Replica acquire(Set<Replica> tried, KeelException last, int attempt) {
        if (attempt > 1) sleep(retry.delayBefore(attempt, ThreadLocalRandom.current()));
        while (true) {
            long now = System.nanoTime();
            Replica best = pick(tried, now, true);
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

    private Replica pick(Set<Replica> tried, long now, boolean untriedOnly) {
        Replica best = null;
        int n = replicas.size();
        int start = ThreadLocalRandom.current().nextInt(n);
        for (int i = 0; i < n; i++) {
            Replica r = replicas.get((start + i) % n);
            if (untriedOnly && tried.contains(r)) continue;
            if (!r.available(now)) continue;
            if (best == null || r.outstanding() < best.outstanding()) best = r;
        }
        return best;
    }

    private boolean allOpen() {
        for (Replica r : replicas) {
            Replica.State s = r.state();
            if (s != Replica.State.OPEN) return false;
        }
        return true;
    }

    private long earliest() {
        long best = 0;
        for (Replica r : replicas) {
            long t = r.availableAt();
            if (t != 0 && (best == 0 || t - best < 0)) best = t;
        }
        return best;
    }

    private KeelException noteFailure(Replica r, KeelException e) {
        if (e instanceof UpstreamException u && u.retryAfter().isPresent()) r.coolDown(u.retryAfter().get());
        return e;
    }

    private static KeelException asKeel(Throwable t) {
        if (t instanceof KeelException k) return k;
        if (t == null) return new KeelException(ErrorCode.INTERNAL, "the provider ended a stream without a terminal callback");
        return new KeelException(ErrorCode.INTERNAL, "stream failed: " + t, t);
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
            for (Replica r : replicas) r.check();
        }
    }

    @Override
    public void close() {
        if (healthChecker != null) healthChecker.interrupt();
    }

    /** Which replicas a request used; confined to the calling thread. */
    static final class Attempts {
        final List<String> endpoints = new ArrayList<>();

        void record(Replica r) {
            endpoints.add(r.name());
        }

        int count() {
            return endpoints.size();
        }

        String last() {
            return endpoints.isEmpty() ? null : endpoints.getLast();
        }
    }
}
