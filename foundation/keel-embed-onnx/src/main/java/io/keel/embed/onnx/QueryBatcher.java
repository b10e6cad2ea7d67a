package io.keel.embed.onnx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * Folds concurrent query embeddings into one model run. A lone query runs at once (no waiting for company);
 * queries that arrive while a run is in flight are taken together by the next run. One worker thread owns the
 * model session, so runs never compete for the cores.
 */
final class QueryBatcher implements AutoCloseable {
    private record Pending(long[] ids, CompletableFuture<float[]> result) { }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Function<List<long[]>, float[][]> runner;
    private final int maxBatch;
    private final Thread worker;
    private volatile boolean closed;

    QueryBatcher(Function<List<long[]>, float[][]> runner, int maxBatch) {
        this.runner = runner;
        this.maxBatch = maxBatch;
        this.worker = Thread.ofPlatform().daemon().name("keel-query-embedder").start(this::loop);
    }

    float[] embed(long[] ids) {
        if (closed) throw new IllegalStateException("embedder is closed");
        CompletableFuture<float[]> f = new CompletableFuture<>();
        queue.add(new Pending(ids, f));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding a query", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            try {
                float[][] vectors = runner.apply(batch.stream().map(Pending::ids).toList());
                for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(vectors[i]);
            } catch (RuntimeException e) {
                batch.forEach(p -> p.result().completeExceptionally(e));
            }
            batch.clear();
        }
        Pending p;
        while ((p = queue.poll()) != null) p.result().completeExceptionally(new IllegalStateException("embedder is closed"));
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
