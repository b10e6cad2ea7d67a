package io.keel.app.replay;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GateTest {
    /** 10 requests, 1 error; the candidate costs 50% more, is 20% slower, less grounded and somewhat different. */
    private static ReplaySummary summary() {
        return new ReplaySummary(10, 9, 1, Map.of("not_ok", 2), 0.1,
                new ReplaySummary.Totals(1.0, 1000, 500, 100.0, 0.9, 2L),
                new ReplaySummary.Totals(1.5, 1500, 600, 120.0, 0.7, 5L),
                new ReplaySummary.Deltas(50.0, 20.0, 40.0, -0.2, 3L), 0.85, 0.25, List.of());
    }

    @Test
    void everyThresholdWithinLimitsPasses() {
        GateVerdict v = Gate.of(Map.of("max_cost_increase_pct", 60, "max_latency_increase_pct", 20, "max_tokens_increase_pct", 40,
                "min_groundedness", 0.7, "max_groundedness_drop", 0.2, "min_answer_similarity", 0.85, "max_changed_share", 0.25,
                "max_guard_hits_increase", 3, "max_error_rate", 0.1)).evaluate(summary());
        assertThat(v.passed()).as("%s", v).isTrue();
        assertThat(v.checks()).hasSize(10);
    }

    @Test
    void eachCrossedThresholdIsReportedWithItsNumbers() {
        GateVerdict v = Gate.parse("""
                max_cost_increase_pct: 10
                min_groundedness: 0.8
                max_groundedness_drop: 0.05
                min_answer_similarity: 0.9
                max_guard_hits_increase: 0
                max_error_rate: 0.05
                max_latency_increase_pct: 50
                """, "gate.yaml").evaluate(summary());
        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).extracting(GateVerdict.Check::name).containsExactly("max_cost_increase_pct", "min_groundedness",
                "max_groundedness_drop", "min_answer_similarity", "max_guard_hits_increase", "max_error_rate");
        assertThat(v.failures().getFirst().message()).isEqualTo("cost change +50.0% > +10.0%");
        assertThat(v.failures().getFirst().actual()).isEqualTo(50.0);
        assertThat(v.failures().get(1).message()).isEqualTo("candidate mean groundedness 0.700 < 0.800");
        assertThat(v.checks()).filteredOn(GateVerdict.Check::passed).extracting(GateVerdict.Check::name)
                .containsExactly("replayed", "max_latency_increase_pct");
    }

    @Test
    void aNumberTheRunCouldNotMeasureFailsItsCheck() {
        ReplaySummary s = summary();
        ReplaySummary unguarded = new ReplaySummary(s.requests(), s.replayed(), s.errors(), s.skipped(), s.errorRate(), s.original(),
                s.candidate(), new ReplaySummary.Deltas(null, 20.0, 40.0, -0.2, null), s.meanSimilarity(), s.changedShare(), s.notes());
        GateVerdict v = Gate.parse("max_guard_hits_increase: 0\nmax_cost_increase_pct: 10", "g").evaluate(unguarded);
        assertThat(v.failures()).extracting(GateVerdict.Check::message)
                .containsExactly("cost change could not be measured on this run", "guard hits change could not be measured on this run");
    }

    @Test
    void aRunThatReplayedNothingFailsEvenAnEmptyGate() {
        ReplaySummary empty = Replayer.summarize(List.of(), Map.of(), List.of());
        GateVerdict v = Gate.parse("", "empty").evaluate(empty);
        assertThat(v.passed()).isFalse();
        assertThat(v.failures().getFirst().message()).contains("no request was replayed");
    }

    @Test
    void unknownKeysAndNonNumbersAreUsageErrors(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> Gate.parse("max_cost_increase: 10", "g.yaml")).isInstanceOf(KeelException.class)
                .hasMessageContaining("unknown gate key 'max_cost_increase'").hasMessageContaining("max_cost_increase_pct");
        assertThatThrownBy(() -> Gate.parse("max_cost_increase_pct: ten", "g.yaml")).hasMessageContaining("must be a number");
        assertThatThrownBy(() -> Gate.parse("- 1\n- 2", "g.yaml")).hasMessageContaining("must be a map");
        assertThatThrownBy(() -> Gate.parse("min_answer_similarity: 80", "g.yaml")).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> Gate.load(dir.resolve("missing.yaml"))).hasMessageContaining("does not exist");
        Path file = Files.writeString(dir.resolve("gate.yaml"), "max_cost_increase_pct: 10 # percent\n");
        assertThat(Gate.load(file).thresholds()).isEqualTo(Map.of("max_cost_increase_pct", 10.0));
    }

    @Test
    void percentagesAreRelativeAndUndefinedFromZero() {
        assertThat(Replayer.pct(100, 150)).isEqualTo(50.0);
        assertThat(Replayer.pct(0, 0)).isEqualTo(0.0);
        assertThat(Replayer.pct(0, 1)).isNull();
    }
}
