package io.keel.console;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Percentiles, buckets and guard counts of the console's summaries over hand-made records. */
class LatencySeriesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static RequestRecord record(int i, long totalMs, long inferenceMs, String status, List<String> findings) {
        return RequestRecord.builder("r" + i, "query").time(T0.plusSeconds(i)).caller(new Caller("acme", null, null, null)).status(status)
                .timings(new Timings(Map.of(Timings.TOTAL, totalMs * 1_000_000, Timings.INFERENCE, inferenceMs * 1_000_000)))
                .lineage(new Lineage("m", "c@1", "gpt", "1", null, "none", i % 2 == 0 ? "strict@2" : null, null, null, Map.of()))
                .findings(findings).build();
    }

    @Test
    void nearestRankPercentilesCountOnlyRequestsInWhichTheStageRan() {
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 1; i <= 20; i++) records.add(record(i, i * 10, i <= 10 ? 0 : i, "ok", List.of()));
        LatencySeries s = LatencySeries.of(records, 4);
        int total = LatencySeries.STAGES.indexOf(Timings.TOTAL);
        int inference = LatencySeries.STAGES.indexOf(Timings.INFERENCE);
        assertThat(s.overall().p50()[total]).as("10th of 20 totals").isEqualTo(100.0);
        assertThat(s.overall().p95()[total]).as("19th of 20 totals").isEqualTo(190.0);
        assertThat(s.overall().p50()[inference]).as("5th of the 10 requests with inference").isEqualTo(15.0);
        assertThat(s.overall().p50()[LatencySeries.STAGES.indexOf(Timings.EMBEDDING)]).as("a stage that never ran").isNaN();
        assertThat(s.buckets()).hasSize(4);
        assertThat(s.buckets().stream().mapToLong(LatencySeries.Bucket::requests).sum()).isEqualTo(20);
        assertThat(s.buckets().getFirst().start()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void noRecordsNoBucketsAndOneSecondOneBucket() {
        assertThat(LatencySeries.of(List.of(), 12).buckets()).isEmpty();
        assertThat(LatencySeries.of(List.of(), 12).toJson().at("/overall/p95_ms/total").isNull()).isTrue();
        LatencySeries one = LatencySeries.of(List.of(record(1, 5, 0, "ok", List.of()), record(1, 7, 0, "upstream_error", List.of())), 12);
        assertThat(one.buckets()).hasSize(1);
        assertThat(one.overall().errors()).isEqualTo(1);
    }

    @Test
    void guardSummaryCountsBlockedFlaggedTypesAndPolicies() {
        List<RequestRecord> records = List.of(
                record(4, 1, 0, "blocked", List.of("prompt_injection", "prompt_injection")),
                record(3, 1, 0, "ok", List.of("EMAIL_ADDRESS")),
                record(2, 1, 0, "ok", List.of()),
                record(1, 1, 0, "ok", List.of("prompt_injection")));
        GuardSummary g = GuardSummary.of(records);
        assertThat(g.blocked()).isEqualTo(1);
        assertThat(g.withFindings()).isEqualTo(2);
        assertThat(g.byType()).containsEntry("prompt_injection", 2L).containsEntry("EMAIL_ADDRESS", 1L);
        assertThat(g.byPolicy().get("strict@2")).containsExactly(2, 1, 0);
        assertThat(g.byPolicy().get("none")).containsExactly(2, 0, 2);
        assertThat(g.recentInjections()).extracting(RequestRecord::id).containsExactly("r4", "r1");
    }
}
