package io.keel.embed.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.TokenCounter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * The embedded embedding model, on ONNX Runtime with no service to run.
 *
 * <p>Documents: texts are grouped by token length so no batch is padded, and batches run on {@code workers}
 * threads sharing one session with one intra-op thread each (the best throughput on few cores).
 * Queries: cached, and run on a session with {@code queryThreads} intra-op threads for latency; concurrent
 * queries are folded into one run. Queries come first: a document batch waits (a bounded time, see
 * {@link QueryPriority}) while a query embedding is pending, so queries keep their latency during a bulk push.
 * Thread-safe.
 */
public final class OnnxEmbedder implements Embedder {
    private final OnnxEmbedderConfig config;
    private final EncoderModel model;
    private final OrtSession querySession;
    private final QueryBatcher queryBatcher;
    private final Cache<String, float[]> queryCache;
    /** Query embeddings being computed, so a second caller for the same text waits for the first one's result. */
    private final ConcurrentHashMap<String, CompletableFuture<float[]>> queryInFlight = new ConcurrentHashMap<>();
    private final LongAdder queryHits = new LongAdder();
    private final LongAdder queryMisses = new LongAdder();
    private final TokenCounter tokenCounter;
    private final QueryPriority priority = QueryPriority.ofMillis(200);
    private volatile boolean queriesFirst = true;
    private volatile OrtSession documentSession;
    private volatile ExecutorService documentWorkers;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public OnnxEmbedder(OnnxEmbedderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.model = new EncoderModel(config.embeddedModel());
        this.querySession = model.newSession(config.queryThreads());
        int maxBatch = config.quantized() ? 1 : config.maxQueryBatch();
        this.queryBatcher = new QueryBatcher(batch -> model.embed(querySession, batch), maxBatch);
        this.queryCache = Caffeine.newBuilder().maximumSize(config.cacheSize()).build();
        this.tokenCounter = new TokenCounter() {
            @Override
            public int countTokens(String text) {
                return model.countTokens(text);
            }

            @Override
            public int maxTokens() {
                return model.maxTokens();
            }
        };
    }

    public OnnxEmbedderConfig config() {
        return config;
    }

    /**
     * Whether this embedder gives the vectors the guard's embedding classifiers were fitted to (all-MiniLM-L6-v2);
     * for any other model the guard needs a MiniLM of its own.
     */
    public static boolean fitsGuard(Embedder embedder) {
        return embedder instanceof OnnxEmbedder onnx && onnx.config.miniLm();
    }

    public static OnnxEmbedder createDefault() {
        return new OnnxEmbedder(OnnxEmbedderConfig.defaults());
    }

    @Override
    public EmbeddingModelInfo info() {
        return model.info();
    }

    @Override
    public TokenCounter tokenCounter() {
        return tokenCounter;
    }

    /**
     * The query's vector, from the cache when this text was embedded recently. Callers asking for the same text at
     * the same time (the guard's detectors on their own threads) share one computation: the first computes, the
     * others wait for its result instead of running the model again.
     */
    @Override
    public float[] embedQuery(String text) {
        Objects.requireNonNull(text, "text");
        float[] cached = queryCache.getIfPresent(text);
        if (cached != null) {
            queryHits.increment();
            return cached.clone();
        }
        CompletableFuture<float[]> mine = new CompletableFuture<>();
        CompletableFuture<float[]> running = queryInFlight.putIfAbsent(text, mine);
        if (running != null) {
            queryHits.increment();
            return awaitQuery(running).clone();
        }
        try {
            // a computation that ended between the cache look-up and putIfAbsent left its result in the cache
            float[] vector = queryCache.getIfPresent(text);
            if (vector != null) {
                queryHits.increment();
            } else {
                queryMisses.increment();
                priority.queryStarted();
                try {
                    vector = queryBatcher.embed(model.queryTokens(text));
                } finally {
                    priority.queryDone();
                }
                queryCache.put(text, vector);
            }
            mine.complete(vector);
            return vector.clone();
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            queryInFlight.remove(text, mine);
        }
    }

    private static float[] awaitQuery(CompletableFuture<float[]> running) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.INTERNAL, "interrupted while waiting for a query embedding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new KeelException(ErrorCode.INTERNAL, "embedding failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) return List.of();
        int n = texts.size();
        long[][] ids = new long[n][];
        for (int i = 0; i < n; i++) ids[i] = model.truncate(model.tokenize(Objects.requireNonNull(texts.get(i), "text")));
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));

        ExecutorService workers = documentWorkers();
        OrtSession session = documentSession;
        List<int[]> slices = new ArrayList<>();
        List<Future<float[][]>> futures = new ArrayList<>();
        // Batches hold texts of one token length only, so no compute goes to padding. The int8 model quantises each
        // run's activations with one scale for the whole batch, so there a text's vector would depend on its batch
        // mates: it runs one text at a time, which keeps document and query vectors identical.
        int batchSize = config.quantized() ? 1 : config.batchSize();
        for (int from = 0; from < n; ) {
            int length = ids[order[from]].length;
            int to = from;
            while (to < n && to - from < batchSize && ids[order[to]].length == length) to++;
            int[] members = new int[to - from];
            List<long[]> batch = new ArrayList<>(members.length);
            for (int j = from; j < to; j++) {
                members[j - from] = order[j];
                batch.add(ids[order[j]]);
            }
            slices.add(members);
            futures.add(workers.submit(() -> {
                if (queriesFirst) priority.awaitDocumentTurn();
                return model.embed(session, batch);
            }));
            from = to;
        }
        float[][] out = new float[n][];
        try {
            for (int b = 0; b < futures.size(); b++) {
                float[][] vectors = futures.get(b).get();
                int[] members = slices.get(b);
                for (int j = 0; j < members.length; j++) out[members[j]] = vectors[j];
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.INTERNAL, "interrupted while embedding documents", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new KeelException(ErrorCode.INTERNAL, "embedding failed: " + e.getCause(), e.getCause());
        }
        return Arrays.asList(out);
    }

    /** The document-side session and pool are created on first use: query-only processes never pay for them. */
    private ExecutorService documentWorkers() {
        ExecutorService w = documentWorkers;
        if (w == null) {
            synchronized (this) {
                if (documentWorkers == null) {
                    documentSession = model.newSession(1);
                    documentWorkers = Executors.newFixedThreadPool(config.workers(),
                            Thread.ofPlatform().daemon().name("keel-doc-embedder-", 0).factory());
                }
                w = documentWorkers;
            }
        }
        return w;
    }

    /**
     * Whether document batches wait for pending query embeddings (the default); off, both compete for the cores as
     * the scheduler sees fit. For measuring what the priority buys (bench/streaming {@code QueryLatencyUnderPushBench}).
     */
    public void queriesFirst(boolean on) {
        this.queriesFirst = on;
    }

    /** Document batches that waited for a pending query embedding since start (fair scheduling at work). */
    public long documentBatchesYielded() {
        return priority.yields();
    }

    /** Query embeddings served from the cache, or from the same text's computation in flight, since start. */
    public long queryCacheHits() {
        return queryHits.sum();
    }

    /** Query embeddings computed because neither the cache nor a computation in flight held them. */
    public long queryCacheMisses() {
        return queryMisses.sum();
    }

    /** Releases the model and its threads; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        queryBatcher.close();
        try {
            querySession.close();
            synchronized (this) {
                if (documentWorkers != null) {
                    documentWorkers.shutdownNow();
                    documentSession.close();
                }
            }
        } catch (OrtException e) {
            throw new KeelException(ErrorCode.INTERNAL, "closing the ONNX sessions failed: " + e.getMessage(), e);
        }
        model.close();
    }
}
