package io.keel.core.spi;

import java.util.List;
import java.util.Objects;

/**
 * An embedder that hands every call to another one; subclasses override the calls they change (count batches, inject
 * a failure) and keep the rest exactly as the delegate behaves, {@link #close()} included.
 */
public abstract class ForwardingEmbedder implements Embedder {
    private final Embedder delegate;

    protected ForwardingEmbedder(Embedder delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final Embedder delegate() {
        return delegate;
    }

    @Override
    public EmbeddingModelInfo info() {
        return delegate.info();
    }

    @Override
    public float[] embedQuery(String text) {
        return delegate.embedQuery(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return delegate.embedAll(texts);
    }

    @Override
    public TokenCounter tokenCounter() {
        return delegate.tokenCounter();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
