package io.keel.model;

import io.keel.openai.protocol.Embeddings;
import io.keel.openai.protocol.RawEmbeddings;
import io.keel.provider.openai.OpenAiEmbeddingModel;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One logical embedding model served by several replicas, with the same balancing, retries, {@code Retry-After},
 * circuit breakers and health checks as a chat {@link ReplicaPool}. Embedding calls have no partial results, so any
 * retryable failure is retried on the next replica. Thread-safe.
 */
public final class EmbeddingPool implements AutoCloseable {
    private final String name;
    private final ReplicaSelector<OpenAiEmbeddingModel> selector;

    public EmbeddingPool(String name, List<Replica<OpenAiEmbeddingModel>> replicas, RetryPolicy retry, Duration healthCheckInterval) {
        this.name = Objects.requireNonNull(name, "name");
        this.selector = new ReplicaSelector<>(name, replicas, retry, healthCheckInterval);
    }

    /** A pool of one client, retried under the default policy. */
    public static EmbeddingPool of(String name, OpenAiEmbeddingModel model) {
        return new EmbeddingPool(name, List.of(new Replica<>(model, model.name(), null, BreakerPolicy.DEFAULT)),
                RetryPolicy.DEFAULT, null);
    }

    public String name() {
        return name;
    }

    public List<Replica<OpenAiEmbeddingModel>> replicas() {
        return selector.replicas();
    }

    /** Embeds {@code texts}, parsed to vectors. */
    public Embeddings embed(List<String> texts) {
        return selector.call(new ReplicaPool.Attempts(), r -> r.model().embed(texts));
    }

    /** Embeds {@code texts}, keeping the upstream's number arrays as printed where it can (see {@link OpenAiEmbeddingModel#embedRaw}). */
    public RawEmbeddings embedRaw(List<String> texts) {
        return selector.call(new ReplicaPool.Attempts(), r -> r.model().embedRaw(texts));
    }

    @Override
    public void close() {
        selector.close();
    }
}
