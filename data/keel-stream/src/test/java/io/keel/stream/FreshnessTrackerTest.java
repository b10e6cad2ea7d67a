package io.keel.stream;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FreshnessTrackerTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final FreshnessTracker tracker = new FreshnessTracker(Duration.ofMinutes(1), 1_000, clock);

    private void record(long millis, EventStatus status) {
        Instant searchable = clock.now;
        tracker.record(searchable.minusMillis(millis), searchable, status);
    }

    @Test
    void percentilesCoverTheWindowAndCountersEverything() {
        for (int i = 1; i <= 100; i++) record(i * 10L, EventStatus.ACCEPTED);
        record(5, EventStatus.STALE);
        record(0, EventStatus.REJECTED);

        FreshnessSnapshot s = tracker.snapshot();
        assertThat(s.samples()).as("rejected events have no freshness").isEqualTo(101);
        assertThat(s.p50Millis()).isEqualTo(500.0);
        assertThat(s.p99Millis()).isEqualTo(990.0);
        assertThat(s.maxMillis()).isEqualTo(1000.0);
        assertThat(s.count(EventStatus.ACCEPTED)).isEqualTo(100);
        assertThat(s.count(EventStatus.STALE)).isEqualTo(1);
        assertThat(s.count(EventStatus.REJECTED)).isEqualTo(1);
        assertThat(tracker.percentileMillis(0.95)).as("nearest rank 96 of 101").isEqualTo(950.0);
        assertThat(tracker.percentileMillis(0.50)).isEqualTo(s.p50Millis());
        assertThat(tracker.percentileMillis(1.0)).isEqualTo(s.maxMillis());

        clock.now = clock.now.plusSeconds(61);
        record(20, EventStatus.ACCEPTED);
        FreshnessSnapshot later = tracker.snapshot();
        assertThat(later.samples()).as("older samples left the window").isEqualTo(1);
        assertThat(later.p99Millis()).isEqualTo(20.0);
        assertThat(later.count(EventStatus.ACCEPTED)).isEqualTo(101);
    }

    @Test
    void theHistogramCountsEveryEventInItsBucket() {
        record(5, EventStatus.ACCEPTED);
        record(10, EventStatus.ACCEPTED);
        record(700, EventStatus.UNCHANGED);
        record(90_000, EventStatus.ACCEPTED);

        long[] h = tracker.snapshot().histogram();
        List<Long> bounds = FreshnessTracker.BUCKET_BOUNDS_MS;
        assertThat(h).hasSize(bounds.size() + 1);
        assertThat(h[bounds.indexOf(10L)]).isEqualTo(2);
        assertThat(h[bounds.indexOf(1_000L)]).isEqualTo(1);
        assertThat(h[bounds.size()]).isEqualTo(1);
        assertThat(tracker.snapshot().sumMillis()).isEqualTo(90_715.0);
    }

    @Test
    void aProducerClockAheadOfOursCountsAsFresh() {
        tracker.record(clock.now.plusSeconds(3), clock.now, EventStatus.ACCEPTED);

        assertThat(tracker.snapshot().p99Millis()).isZero();
    }

    @Test
    void failedBatchesKeepTheLastError() {
        tracker.failed("first");
        tracker.failed("index unavailable");

        FreshnessSnapshot s = tracker.snapshot();
        assertThat(s.failedBatches()).isEqualTo(2);
        assertThat(s.lastError()).isEqualTo("index unavailable");
        assertThat(s.lastErrorAt()).isEqualTo(clock.now);
    }

    @Test
    void resetForgetsEverything() {
        record(100, EventStatus.ACCEPTED);
        tracker.failed("x");

        tracker.reset();

        FreshnessSnapshot s = tracker.snapshot();
        assertThat(s.samples()).isZero();
        assertThat(s.count(EventStatus.ACCEPTED)).isZero();
        assertThat(s.histogram()).containsOnly(0L);
        assertThat(s.failedBatches()).isZero();
        assertThat(s.lastError()).isNull();
        record(7, EventStatus.ACCEPTED);
        assertThat(tracker.snapshot().p50Millis()).isEqualTo(7.0);
    }
}
