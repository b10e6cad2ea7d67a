package io.keel.stream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures how fresh the index is: for every applied event, the time from its event timestamp (or, when it carries
 * none, from its receipt by Keel) to the index commit that made it searchable. Percentiles cover a sliding window of
 * recent events; the histogram and the counters cover the whole life of the tracker, in the cumulative form metric
 * systems expect. Thread-safe; recording is lock-free apart from one short critical section per sample.
 */
public final class FreshnessTracker {
    /** Upper bounds of the histogram buckets, in milliseconds; a last bucket takes everything above. */
    public static final List<Long> BUCKET_BOUNDS_MS = List.of(10L, 25L, 50L, 100L, 250L, 500L, 1_000L, 2_500L, 5_000L,
            10_000L, 30_000L, 60_000L);

    private final Duration window;
    private final Clock clock;
    private final long[] recordedAtMillis;
    private final long[] latencyMicros;
    private long next;
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKET_BOUNDS_MS.size() + 1);
    private final LongAdder latencySumMicros = new LongAdder();
    private final Map<EventStatus, LongAdder> events = new EnumMap<>(EventStatus.class);
    private final LongAdder failedBatches = new LongAdder();
    private volatile java.util.function.LongConsumer listener = micros -> { };
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    /** Percentiles over the last five minutes, at most 100,000 samples. */
    public FreshnessTracker() {
        this(Duration.ofMinutes(5), 100_000, Clock.systemUTC());
    }

    /**
     * @param window   how far back percentiles look
     * @param capacity the most recent samples kept for percentiles; older ones fall out even inside the window
     * @param clock    time source for the window
     */
    public FreshnessTracker(Duration window, int capacity, Clock clock) {
        if (window.isNegative() || window.isZero()) throw new IllegalArgumentException("window must be > 0");
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be > 0");
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.recordedAtMillis = new long[capacity];
        this.latencyMicros = new long[capacity];
        for (EventStatus s : EventStatus.values()) events.put(s, new LongAdder());
    }

    /**
     * Records one event of a committed batch.
     *
     * @param startedAt    the event's timestamp, or its receipt time
     * @param searchableAt when the commit containing it returned
     * @param status       its outcome; rejected events are counted but have no freshness
     */
    public void record(Instant startedAt, Instant searchableAt, EventStatus status) {
        events.get(status).increment();
        if (status == EventStatus.REJECTED) return;
        // A producer clock ahead of ours would give a negative age: count it as immediately fresh.
        long micros = Math.max(0, Duration.between(startedAt, searchableAt).toNanos() / 1_000);
        latencySumMicros.add(micros);
        listener.accept(micros);
        buckets.incrementAndGet(bucket(micros / 1_000));
        long now = clock.millis();
        synchronized (this) {
            int slot = (int) (next++ % recordedAtMillis.length);
            recordedAtMillis[slot] = now;
            latencyMicros[slot] = micros;
        }
    }

    /** Records every outcome of {@code batch}; {@code startedAt.get(i)} belongs to {@code batch.outcomes().get(i)}. */
    public void record(AppliedBatch batch, List<Instant> startedAt) {
        if (startedAt.size() != batch.outcomes().size()) {
            throw new IllegalArgumentException(startedAt.size() + " start times for " + batch.outcomes().size() + " outcomes");
        }
        for (int i = 0; i < startedAt.size(); i++) record(startedAt.get(i), batch.committedAt(), batch.outcomes().get(i).status());
    }

    /** Also hands every sample (event-to-searchable microseconds) to {@code l}, e.g. a metrics histogram. */
    public void onSample(java.util.function.LongConsumer l) {
        this.listener = Objects.requireNonNull(l, "listener");
    }

    /** Counts an event rejected before it reached the applier (unparseable, invalid). */
    public void rejected() {
        events.get(EventStatus.REJECTED).increment();
    }

    /** Counts a batch that failed as a whole and will be redelivered. */
    public void failed(String message) {
        failedBatches.increment();
        lastError = message;
        lastErrorAt = clock.instant();
    }

    /** Forgets every sample and counter, e.g. after a backfill whose freshness says nothing about steady state. */
    public void reset() {
        synchronized (this) {
            next = 0;
        }
        for (int i = 0; i < buckets.length(); i++) buckets.set(i, 0);
        latencySumMicros.reset();
        events.values().forEach(LongAdder::reset);
        failedBatches.reset();
        lastError = null;
        lastErrorAt = null;
    }

    public FreshnessSnapshot snapshot() {
        long[] recent = recent();
        Map<EventStatus, Long> counts = new EnumMap<>(EventStatus.class);
        events.forEach((s, c) -> counts.put(s, c.sum()));
        long[] hist = new long[buckets.length()];
        for (int i = 0; i < hist.length; i++) hist[i] = buckets.get(i);
        return new FreshnessSnapshot(window, recent.length, millis(percentile(recent, 0.50)), millis(percentile(recent, 0.99)),
                millis(recent.length == 0 ? 0 : recent[recent.length - 1]), counts, hist, latencySumMicros.sum() / 1_000.0,
                failedBatches.sum(), lastError, lastErrorAt);
    }

    /**
     * The nearest-rank {@code p} quantile (0 < p <= 1) of the window's event-to-searchable times in milliseconds, for
     * the percentiles a {@link FreshnessSnapshot} does not carry (e.g. p95 in a benchmark); 0 without samples.
     */
    public double percentileMillis(double p) {
        if (!(p > 0 && p <= 1)) throw new IllegalArgumentException("p must be in (0, 1]; got " + p);
        return millis(percentile(recent(), p));
    }

    /** The samples inside the window, sorted. */
    private long[] recent() {
        long[] recent;
        synchronized (this) {
            long cutoff = clock.millis() - window.toMillis();
            int size = (int) Math.min(next, recordedAtMillis.length);
            recent = new long[size];
            int n = 0;
            for (int i = 0; i < size; i++) if (recordedAtMillis[i] >= cutoff) recent[n++] = latencyMicros[i];
            recent = Arrays.copyOf(recent, n);
        }
        Arrays.sort(recent);
        return recent;
    }

    private static int bucket(long millis) {
        for (int i = 0; i < BUCKET_BOUNDS_MS.size(); i++) if (millis <= BUCKET_BOUNDS_MS.get(i)) return i;
        return BUCKET_BOUNDS_MS.size();
    }

    /** Nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }
}
