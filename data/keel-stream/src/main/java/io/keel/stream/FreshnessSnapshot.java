package io.keel.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Freshness at one moment.
 *
 * @param window        what the percentiles cover
 * @param samples       events in the window
 * @param p50Millis     median event-to-searchable time in the window
 * @param p99Millis     99th percentile in the window
 * @param maxMillis     slowest in the window
 * @param events        events per outcome since start
 * @param histogram     events per bucket since start, bounds in {@link FreshnessTracker#BUCKET_BOUNDS_MS} plus one
 *                      overflow bucket; not cumulative
 * @param sumMillis     total event-to-searchable time since start
 * @param failedBatches batches that failed as a whole (and were redelivered) since start
 * @param lastError     the message of the last failed batch, or null
 * @param lastErrorAt   when it failed, or null
 */
public record FreshnessSnapshot(Duration window, int samples, double p50Millis, double p99Millis, double maxMillis,
                                Map<EventStatus, Long> events, long[] histogram, double sumMillis, long failedBatches,
                                String lastError, Instant lastErrorAt) {
    public FreshnessSnapshot {
        events = Map.copyOf(events);
        histogram = histogram.clone();
    }

    public long count(EventStatus status) {
        return events.getOrDefault(status, 0L);
    }
}
