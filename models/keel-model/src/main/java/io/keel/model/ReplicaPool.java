package io.keel.model;

import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamListener;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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
    private final ReplicaSelector<ChatModel> selector;
    private final Set<Capability> capabilities;

    /**
     * @param healthCheckInterval how often to run the replicas' active health checks, or null for none
     */
    public ReplicaPool(String name, List<Replica<ChatModel>> replicas, RetryPolicy retry, Duration healthCheckInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.selector = new ReplicaSelector<>(name, replicas, retry, healthCheckInterval);
        EnumSet<Capability> caps = EnumSet.allOf(Capability.class);
        for (Replica<ChatModel> r : selector.replicas()) caps.retainAll(r.model().capabilities());
        this.capabilities = Set.copyOf(caps);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    public List<Replica<ChatModel>> replicas() {
        return selector.replicas();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return chat(request, new Attempts());
    }

    ChatResponse chat(ChatRequest request, Attempts attempts) {
        Capability.check(this, request, false);
        return selector.call(attempts, r -> r.model().chat(request));
    }

    @Override
    public void stream(ChatRequest request, StreamListener listener) {
        stream(request, listener, new Attempts());
    }

    void stream(ChatRequest request, StreamListener listener, Attempts attempts) {
        Objects.requireNonNull(listener, "listener");
        Set<Replica<ChatModel>> tried = new HashSet<>();
        KeelException last = null;
        try {
            Capability.check(this, request, true);
        } catch (KeelException e) {
            Terminal.error(listener, e);
            return;
        }
        for (int attempt = 1; attempt <= selector.maxAttempts(); attempt++) {
            Replica<ChatModel> r;
            try {
                r = selector.acquire(tried, last, attempt);
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
            last = selector.noteFailure(r, e);
            if (relay.started || !e.retryable()) {
                Terminal.error(listener, relay.error != null ? relay.error : e);
                return;
            }
        }
        Terminal.error(listener, last);
    }

    private static KeelException asKeel(Throwable t) {
        if (t instanceof KeelException k) return k;
        if (t == null) return new KeelException(ErrorCode.INTERNAL, "the provider ended a stream without a terminal callback");
        return new KeelException(ErrorCode.INTERNAL, "stream failed: " + t, t);
    }

    @Override
    public void close() {
        selector.close();
    }

    /** Which replicas a call used; confined to the calling thread. */
    static final class Attempts {
        final List<String> endpoints = new ArrayList<>();

        void record(Replica<?> r) {
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
