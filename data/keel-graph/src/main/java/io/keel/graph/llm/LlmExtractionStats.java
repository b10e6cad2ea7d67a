package io.keel.graph.llm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of {@code graph.extractor: llm} since start: model calls, chunks asked in them, chunks answered from the
 * cache, and fallbacks (a chunk the model's answer did not cover in the required form, or whose call failed, extracted
 * by the pattern extractor instead, with a warning). Thread-safe.
 */
public final class LlmExtractionStats {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong chunksAsked = new AtomicLong();
    final AtomicLong chunksCached = new AtomicLong();
    final AtomicLong fallbacks = new AtomicLong();

    public long calls() {
        return calls.get();
    }

    public long chunksAsked() {
        return chunksAsked.get();
    }

    public long chunksCached() {
        return chunksCached.get();
    }

    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public String toString() {
        return "calls=" + calls() + " asked=" + chunksAsked() + " cached=" + chunksCached() + " fallbacks=" + fallbacks();
    }
}
