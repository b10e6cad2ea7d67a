package io.keel.server.documents;

import io.keel.core.spi.IngestionJob;
import io.keel.core.spi.IngestionJobStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * The queue of asynchronous pushes: bounded by the events it holds, applied one job at a time on one worker thread
 * in batches, with the job's state saved in an {@link IngestionJobStore} after every batch. A job that does not fit
 * is refused ({@link Refused}, answered 429 with {@code Retry-After}). Jobs left unfinished by a stopped process are
 * marked lost when this queue is created.
 *
 * <p>Thread-safe.
 */
final class IngestionJobs implements AutoCloseable {
    static final String LOST = "the server stopped before the job finished; the events counted as processed are in the "
            + "index, the others are not: push them again (a re-push of the same versions is idempotent)";
    private static final System.Logger LOG = System.getLogger(IngestionJobs.class.getName());

    /** Applies one batch of a job's events and records their outcomes in the job's results. */
    interface BatchApplier {
        void apply(List<DocumentService.Item> batch, DocumentService.Results results);
    }

    /** The queue is full: retry after {@code retryAfterSeconds}. */
    static final class Refused extends RuntimeException {
        final long retryAfterSeconds;

        Refused(String message, long retryAfterSeconds) {
            super(message, null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    private record Job(IngestionJob state, List<DocumentService.Item> items, DocumentService.Results results) {
    }

    private final IngestionJobStore store;
    private final BatchApplier applier;
    private final Function<DocumentService.Results, String> render;
    private final int batchSize;
    private final int maxQueuedEvents;
    private final Clock clock;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private int queuedEvents;
    /** Events applied per second by recent jobs (an exponential average), for Retry-After; 0 before the first batch. */
    private double eventsPerSecond;
    private volatile boolean closed;

    IngestionJobs(IngestionJobStore store, BatchApplier applier, Function<DocumentService.Results, String> render,
                  int batchSize, int maxQueuedEvents, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.render = Objects.requireNonNull(render, "render");
        this.batchSize = batchSize;
        this.maxQueuedEvents = maxQueuedEvents;
        this.clock = Objects.requireNonNull(clock, "clock");
        int lost = store.markUnfinishedLost(LOST);
        if (lost > 0) LOG.log(System.Logger.Level.WARNING, "{0} ingestion job(s) of a previous run were unfinished and are marked lost", lost);
        this.worker = Thread.ofVirtual().name("keel-ingestion-jobs").start(this::loop);
    }

    /**
     * Queues a job of {@code events} events: {@code items} to apply, the invalid others already with their outcome in
     * {@code results}.
     *
     * @throws Refused when the queued events and these would exceed the limit
     */
    IngestionJob submit(String tenant, int events, List<DocumentService.Item> items, DocumentService.Results results) {
        IngestionJob job = IngestionJob.queued("job_" + UUID.randomUUID().toString().replace("-", ""), tenant, events, clock.instant());
        synchronized (this) {
            if (closed) throw new Refused("the server is stopping; push again to another instance or after the restart", 5);
            if (queuedEvents + items.size() > maxQueuedEvents) {
                throw new Refused("the ingestion queue holds " + queuedEvents + " events and takes at most " + maxQueuedEvents
                        + " (streaming.http.max_queued_events); retry later", retryAfter());
            }
            queuedEvents += items.size();
        }
        store.save(job);
        queue.add(new Job(job, List.copyOf(items), results));
        return job;
    }

    Optional<IngestionJob> find(String id) {
        return store.find(id);
    }

    /** Events waiting or running in queued jobs. */
    synchronized int queuedEvents() {
        return queuedEvents;
    }

    /** Seconds until the queue has likely drained by one job's worth: its events at the recent rate, 1 to 300. */
    private synchronized long retryAfter() {
        if (eventsPerSecond <= 0) return 5;
        return Math.max(1, Math.min(300, (long) Math.ceil(queuedEvents / eventsPerSecond)));
    }

    private void loop() {
        while (!closed) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            run(job);
        }
    }

    private void run(Job job) {
        IngestionJob state = job.state();
        int done = 0;
        int total = job.items().size();
        try {
            state = state.running(processed(job, 0), clock.instant());
            store.save(state);
            while (done < total) {
                int to = Math.min(total, done + batchSize);
                long start = System.nanoTime();
                applier.apply(new ArrayList<>(job.items().subList(done, to)), job.results());
                rate(to - done, System.nanoTime() - start);
                release(to - done);
                done = to;
                state = state.running(processed(job, done), clock.instant());
                if (done < total) store.save(state);
            }
            store.save(state.done(render.apply(job.results()), clock.instant()));
        } catch (RuntimeException e) {
            release(total - done);
            LOG.log(System.Logger.Level.WARNING, "ingestion job " + state.id() + " failed after " + done + " of " + total + " events", e);
            try {
                store.save(state.failed(processed(job, done), "applying a batch failed: " + e.getMessage()
                        + "; the events counted as processed are in the index, push the others again", render.apply(job.results()), clock.instant()));
            } catch (RuntimeException saveFailed) {
                LOG.log(System.Logger.Level.ERROR, "the failure of ingestion job " + state.id() + " could not be saved; it will read as lost after a restart", saveFailed);
            }
        }
    }

    /** Events with an outcome: those rejected while reading plus the first {@code applied} items. */
    private static int processed(Job job, int applied) {
        return job.state().events() - job.items().size() + applied;
    }

    private synchronized void release(int events) {
        queuedEvents -= events;
    }

    private synchronized void rate(int events, long nanos) {
        double now = events / Math.max(1e-3, nanos / 1e9);
        eventsPerSecond = eventsPerSecond <= 0 ? now : 0.7 * eventsPerSecond + 0.3 * now;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        worker.interrupt();
    }
}
