package io.keel.bench.streaming;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.ForwardingEmbedder;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** An embedder that adds up the wall time of its {@code embedAll} calls: how much of a batch's time embedding took. */
final class TimedEmbedder extends ForwardingEmbedder {
    final AtomicLong nanos = new AtomicLong();
    final AtomicLong calls = new AtomicLong();

    TimedEmbedder(Embedder delegate) {
        super(delegate);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        long start = System.nanoTime();
        try {
            return super.embedAll(texts);
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
            calls.incrementAndGet();
        }
    }
}
