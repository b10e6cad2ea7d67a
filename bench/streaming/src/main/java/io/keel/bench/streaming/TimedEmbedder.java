package io.keel.bench.streaming;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An embedder that adds up the wall time of its {@code embedAll} calls: how much of a batch's time embedding took. */
final class TimedEmbedder implements Embedder {
    private final Embedder delegate;
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong calls = new AtomicLong();

    TimedEmbedder(Embedder delegate) {
        this.delegate = delegate;
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
        long start = System.nanoTime();
        try {
            return delegate.embedAll(texts);
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
            calls.incrementAndGet();
        }
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
