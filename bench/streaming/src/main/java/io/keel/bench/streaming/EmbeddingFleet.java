package io.keel.bench.streaming;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Embedder;
import io.keel.model.OpenAiEmbedderFactory;
import io.keel.test.FakeOpenAiServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pool of remote embedding replicas for the benchmark: {@code replicas} fake OpenAI-compatible {@code /v1/embeddings}
 * servers in this process, each answering a batch of n texts after {@code latency + n * perText} (a GPU server's
 * cost: a fixed part per forward pass and a part per input), working on {@code slots} batches at once, with
 * deterministic 384-dimensional unit vectors hashed from each text. Each Keel instance gets its own client
 * ({@link #client}) over all replicas, as {@code embedding.backend: openai} with these endpoints would build it.
 */
final class EmbeddingFleet implements AutoCloseable {
    static final int DIMENSIONS = 384;
    static final String MODEL = "bench/all-minilm-l6-v2";

    private final List<FakeOpenAiServer> replicas = new ArrayList<>();
    private final Duration latency;
    private final Duration perText;
    private final int slots;

    /** @param slots batches a replica works on at once; 0 for no limit */
    EmbeddingFleet(int replicas, Duration latency, Duration perText, int slots) {
        this.latency = latency;
        this.perText = perText;
        this.slots = slots;
        for (int i = 0; i < replicas; i++) {
            FakeOpenAiServer s = new FakeOpenAiServer().embeddingDimensions(DIMENSIONS).embeddingModel(MODEL)
                    .embeddingLatency(latency).embeddingLatencyPerInput(perText);
            if (slots > 0) s.embeddingSlots(slots);
            this.replicas.add(s);
        }
    }

    /**
     * A remote embedder over every replica: {@code max_batch_size} texts per request, {@code concurrency} requests of
     * one {@code embedAll} in flight, {@code window} tokens per text (the chunker cuts documents to it).
     */
    Embedder client(int maxBatchSize, int concurrency, int window) {
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("backend", OpenAiEmbedderFactory.NAME);
        section.put("model", MODEL);
        section.put("endpoints", replicas.stream().map(r -> r.baseUri() + "/v1").toList());
        section.put("dimensions", DIMENSIONS);
        section.put("max_batch_size", maxBatchSize);
        section.put("concurrency", concurrency);
        section.put("max_input_tokens", window);
        return new OpenAiEmbedderFactory().create(ConfigNode.root(Map.of("embedding", section), Map.of()).child("embedding"));
    }

    /** Forgets what the replicas recorded, e.g. the warm-up's requests. */
    void reset() {
        replicas.forEach(FakeOpenAiServer::reset);
    }

    /** Requests answered since the last {@link #reset}, per replica. */
    List<Integer> requests() {
        return replicas.stream().map(r -> r.requests("/embeddings").size()).toList();
    }

    /** The most requests one replica was answering at once. */
    int maxConcurrent() {
        return replicas.stream().mapToInt(FakeOpenAiServer::maxConcurrentEmbeddings).max().orElse(0);
    }

    String describe() {
        return String.format(java.util.Locale.ROOT, "%d fake embedding replicas, %.1f ms + %.2f ms per text per batch, %s",
                replicas.size(), latency.toNanos() / 1e6, perText.toNanos() / 1e6,
                slots > 0 ? slots + " batch(es) at a time each" : "no limit on batches at a time");
    }

    @Override
    public void close() {
        replicas.forEach(FakeOpenAiServer::close);
    }
}
