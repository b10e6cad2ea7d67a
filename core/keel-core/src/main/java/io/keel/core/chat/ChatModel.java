package io.keel.core.chat;

import java.util.Set;

/**
 * A chat completion backend: one provider endpoint, a pool of replicas, or a gateway over several models.
 * Implementations are thread-safe.
 *
 * <p>Failures are {@link io.keel.core.error.KeelException}s whose {@link io.keel.core.error.ErrorCode} says whether
 * the same request may be retried: rate limits, timeouts, 5xx answers and connection failures are retryable
 * ({@link UpstreamException} carries the status and any {@code Retry-After}); authentication and bad-request errors
 * are not.
 *
 * @since 0.1
 */
public interface ChatModel {
    /** A name for logs and errors, e.g. {@code openai:gpt-4o@http://vllm-0:8000/v1}. */
    String name();

    /** What this model supports; a request needing anything else fails with an UnsupportedCapabilityException. */
    Set<Capability> capabilities();

    /**
     * Answers {@code request} in one piece. Blocks until the answer is complete.
     *
     * @return the response; never null; its usage is null only when the provider reported none
     * @throws io.keel.core.error.KeelException on any failure, retryable or not
     */
    ChatResponse chat(ChatRequest request);

    /**
     * Streams the answer to {@code listener}, following the contract described on {@link StreamListener}: callbacks on
     * the calling thread, exactly one terminal callback, and this method returns after it. Upstream failures are
     * reported through {@link StreamListener#onError}, never thrown.
     *
     * @throws NullPointerException if an argument is null
     */
    void stream(ChatRequest request, StreamListener listener);
}
