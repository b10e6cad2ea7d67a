package io.keel.provider.openai;

import io.keel.openai.protocol.Embeddings;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Embedder} over any OpenAI-compatible {@code /v1/embeddings} server: Text Embeddings Inference, vLLM,
 * Ollama, OpenAI, Azure OpenAI. Each request goes through a {@link Transport}, in Keel the model gateway's replica
 * pool (balancing over endpoints, retries with backoff on 429, 5xx and connection failures, {@code Retry-After},
 * circuit breakers, per-attempt timeouts).
 *
 * <p>What this class adds: {@link #embedAll} is split into batches of at most {@code max_batch_size} texts, run
 * {@code concurrency} at a time (so several replicas work on one call); a 413 answer (a server's batch limit) halves
 * the batch and lowers the size for later calls; texts are cut to the model window by {@link ApproximateTokenCounter}
 * and empty ones sent as a single space (OpenAI refuses empty input); every vector is checked for the dimension and
 * L2-normalised. Query vectors are cached ({@code cache_size}, least recently used first out), as a query costs a
 * network round trip.
 *
 * <p>Identity: at construction one probe request learns the vector length and the model name the server reports.
 * {@link #info()} is {@code id} = the configured model name, {@code checksum} = SHA-256 of configured name, dimension
 * and reported name, so a collection built through one remote model refuses another (and the embedded MiniLM), as
 * indexes refuse any other {@link EmbeddingModelInfo#fingerprint()}. A later answer that reports another model fails
 * with {@link ErrorCode#MODEL_MISMATCH} rather than mix vectors. Thread-safe.
 */
public final class OpenAiEmbedder implements Embedder {
    /** One request to the server: texts in, vectors in input order and the reported model name out. */
    @FunctionalInterface
    public interface Transport {
        Embeddings embed(List<String> texts);
    }

    private final OpenAiEmbedderConfig config;
    private final String upstream;
    private final Transport transport;
    private final AutoCloseable resources;
    private final ApproximateTokenCounter tokenCounter;
    private final AtomicInteger batchLimit;
    private final ExecutorService batches = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("keel-remote-embedder-", 0).factory());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final String reportedModel;
    private final EmbeddingModelInfo info;
    private final QueryCache queryCache;

    /**
     * Probes the server once to learn the vector length and the reported model name.
     *
     * @param upstream  how errors name the server, e.g. {@code embedding server text-embedding-3-small at [http://tei:8080/v1]}
     * @param resources closed by {@link #close()} (the replica pool), or null
     * @throws KeelException when the probe fails, or the server's vectors do not have the configured dimension
     */
    public OpenAiEmbedder(OpenAiEmbedderConfig config, String upstream, Transport transport, AutoCloseable resources) {
        this.config = Objects.requireNonNull(config, "config");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.resources = resources;
        this.tokenCounter = new ApproximateTokenCounter(config.maxInputTokens(), config.charsPerToken());
        this.batchLimit = new AtomicInteger(config.maxBatchSize());
        this.queryCache = new QueryCache(config.cacheSize());
        Embeddings probe;
        try {
            probe = transport.embed(List.of("keel embedding probe"));
        } catch (KeelException e) {
            batches.shutdownNow();
            throw new KeelException(e.code(), "cannot start the remote embedder: the probe request to " + upstream
                    + " failed (" + e.getMessage() + "); check embedding.endpoints, embedding.model and the API key", e);
        }
        int dims = probe.vectors().getFirst().length;
        if (config.dimensions() > 0 && dims != config.dimensions()) {
            batches.shutdownNow();
            throw KeelException.invalid("configuration key 'embedding.dimensions' is " + config.dimensions() + " but "
                    + upstream + " returns " + dims + "-dimensional vectors for model '" + config.model()
                    + "'; set the dimension the model has, or leave the key out");
        }
        this.reportedModel = probe.model();
        this.info = new EmbeddingModelInfo(config.model(), checksum(config.model(), dims, reportedModel), dims,
                config.maxInputTokens());
    }

    /** The identity hash of a remote model: what was asked for, what came back, and how long the vectors are. */
    static String checksum(String configuredModel, int dimensions, String reportedModel) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("openai-embeddings\n" + configuredModel + "\n"
                    + dimensions + "\n" + reportedModel).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public EmbeddingModelInfo info() {
        return info;
    }

    /** The model name the server reported at start ({@code ""} when it reports none). */
    public String reportedModel() {
        return reportedModel;
    }

    /** The largest batch now sent: {@code max_batch_size}, or less after the server answered 413. */
    public int batchLimit() {
        return batchLimit.get();
    }

    /** An estimate: Keel has no tokenizer for a remote model; see {@link ApproximateTokenCounter}. */
    @Override
    public TokenCounter tokenCounter() {
        return tokenCounter;
    }

    @Override
    public float[] embedQuery(String text) {
        String prepared = prepare(text);
        float[] v = queryCache.get(prepared);
        if (v == null) {
            v = embedBatch(List.of(prepared)).getFirst();
            queryCache.put(prepared, v);
        }
        return v.clone();
    }

    /** A bounded least-recently-used map of query vectors; thread-safe. */
    private static final class QueryCache {
        private final int capacity;
        private final java.util.LinkedHashMap<String, float[]> map;

        QueryCache(int capacity) {
            this.capacity = capacity;
            this.map = new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, float[]> eldest) {
                    return size() > QueryCache.this.capacity;
                }
            };
        }

        synchronized float[] get(String text) {
            return capacity == 0 ? null : map.get(text);
        }

        synchronized void put(String text, float[] vector) {
            if (capacity > 0) map.put(text, vector);
        }
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        List<String> prepared = new ArrayList<>(texts.size());
        for (String t : texts) prepared.add(prepare(t));
        int size = batchLimit.get();
        if (prepared.size() <= size) return embedBatch(prepared);
        List<List<String>> parts = new ArrayList<>();
        for (int from = 0; from < prepared.size(); from += size) {
            parts.add(prepared.subList(from, Math.min(prepared.size(), from + size)));
        }
        return runConcurrently(parts);
    }

    /** Runs the batches {@code concurrency} at a time; the first failure cancels the rest and is thrown. */
    private List<float[]> runConcurrently(List<List<String>> parts) {
        @SuppressWarnings("unchecked") List<float[]>[] results = new List[parts.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> workers = new ArrayList<>();
        if (closed.get()) throw new IllegalStateException("the remote embedder is closed");
        for (int w = 0; w < Math.min(config.concurrency(), parts.size()); w++) {
            workers.add(batches.submit(() -> {
                int b;
                while (!failed.get() && (b = next.getAndIncrement()) < parts.size()) {
                    try {
                        results[b] = embedBatch(parts.get(b));
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : workers) f.get();
        } catch (InterruptedException e) {
            workers.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.UNAVAILABLE, "interrupted while embedding through " + upstream, e);
        } catch (ExecutionException e) {
            workers.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new KeelException(ErrorCode.INTERNAL, "embedding through " + upstream + " failed: " + e.getCause(), e.getCause());
        }
        List<float[]> out = new ArrayList<>();
        for (List<float[]> r : results) out.addAll(r);
        return out;
    }

    /** One request; a 413 (batch over the server's limit) splits it in halves and lowers the limit for later calls. */
    private List<float[]> embedBatch(List<String> texts) {
        Embeddings answer;
        try {
            answer = transport.embed(texts);
        } catch (UpstreamException e) {
            if (e.httpStatus() != 413 || texts.size() == 1) throw e;
            int half = (texts.size() + 1) / 2;
            batchLimit.accumulateAndGet(half, Math::min);
            List<float[]> out = new ArrayList<>(embedBatch(texts.subList(0, half)));
            out.addAll(embedBatch(texts.subList(half, texts.size())));
            return out;
        }
        return checked(answer, texts.size());
    }

    private List<float[]> checked(Embeddings answer, int expected) {
        if (!answer.model().equals(reportedModel)) {
            throw new KeelException(ErrorCode.MODEL_MISMATCH, upstream + " now reports model '" + answer.model()
                    + "' but reported '" + reportedModel + "' when Keel started; vectors of two models must not mix in "
                    + "one collection: point embedding.endpoints at servers of one model, then restart Keel");
        }
        if (answer.vectors().size() != expected) {
            throw UpstreamException.malformed(upstream, "expected " + expected + " embeddings, got " + answer.vectors().size(), null);
        }
        List<float[]> out = new ArrayList<>(expected);
        for (float[] v : answer.vectors()) {
            if (v.length != info.dimensions()) {
                throw new KeelException(ErrorCode.MODEL_MISMATCH, upstream + " returned a " + v.length
                        + "-dimensional vector; the model " + info.fingerprint() + " has " + info.dimensions());
            }
            out.add(normalised(v));
        }
        return out;
    }

    private float[] normalised(float[] v) {
        double norm = 0;
        for (float f : v) norm += (double) f * f;
        norm = Math.sqrt(norm);
        if (!(norm > 1e-12) || Double.isInfinite(norm)) {
            throw UpstreamException.malformed(upstream, "a vector of length " + norm + " cannot be normalised", null);
        }
        if (Math.abs(norm - 1.0) < 1e-6) return v;
        float[] out = Arrays.copyOf(v, v.length);
        float inv = (float) (1.0 / norm);
        for (int i = 0; i < out.length; i++) out[i] *= inv;
        return out;
    }

    private String prepare(String text) {
        Objects.requireNonNull(text, "text");
        if (closed.get()) throw new IllegalStateException("the remote embedder is closed");
        String cut = tokenCounter.truncate(text);
        return cut.isEmpty() ? " " : cut;
    }

    /** Stops the batch threads and closes the replica pool; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        batches.shutdownNow();
        if (resources == null) return;
        try {
            resources.close();
        } catch (Exception e) {
            throw new KeelException(ErrorCode.INTERNAL, "closing " + upstream + " failed: " + e.getMessage(), e);
        }
    }
}
