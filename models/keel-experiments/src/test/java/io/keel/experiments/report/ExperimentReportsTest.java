package io.keel.experiments.report;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.RequestRecord;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentFiles;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ExperimentReportsTest {
    static final Experiment EXP = ExperimentFiles.parse("""
            name: cost-test
            unit: user
            variants:
              - name: control
                weight: 50
              - name: cheap
                weight: 50
            """, "test.yaml");

    /** Cost per request: control ~ N(0.010, 0.002), cheap ~ N(0.007, 0.002); groundedness the same in both. */
    static List<RequestRecord> traffic(int perArm, double costB, long seed) {
        Random rnd = new Random(seed);
        List<RequestRecord> out = new ArrayList<>();
        for (int i = 0; i < 2 * perArm; i++) {
            String v = i % 2 == 0 ? "control" : "cheap";
            double cost = Math.max(0, (v.equals("control") ? 0.010 : costB) + 0.002 * rnd.nextGaussian());
            out.add(RequestRecord.builder("r" + i, "query").time(Instant.EPOCH.plusSeconds(i))
                    .usage(new Usage(100 + rnd.nextInt(20), 50, 0, cost, false))
                    .timings(new Timings(Map.of(Timings.TOTAL, 5_000_000L + rnd.nextInt(1_000_000), Timings.INFERENCE, 4_000_000L + rnd.nextInt(500_000))))
                    .quality(new Quality(0.5 + 0.1 * rnd.nextGaussian(), null, null, 0.8 + 0.05 * rnd.nextGaussian(), null, null))
                    .lineage(new Lineage(null, null, "m", "1", null, null, null, "cost-test", v, Map.of())).build());
        }
        return out;
    }

    @Test
    void findsACostDifferenceWithTheRightSignAndACoveringInterval() {
        ExperimentReport r = ExperimentReports.compute(EXP, traffic(1000, 0.007, 1), List.of(), 0.05, 100);
        ExperimentReport.MetricComparison cost = r.comparisons().get("cheap").stream()
                .filter(c -> c.metric().equals(Metric.COST)).findFirst().orElseThrow();
        assertThat(cost.comparison().difference()).isNegative();
        assertThat(cost.comparison().differenceCi().contains(-0.003)).isTrue();
        assertThat(cost.significant(0.05)).isTrue();
        assertThat(cost.sequentialP()).isLessThan(0.05);
        assertThat(r.srm().mismatch()).isFalse();
        assertThat(r.verdicts().get("cheap")).startsWith("cheap is cheaper by 30 % (95 % CI ").contains("no difference detected in groundedness");
        assertThat(r.variants()).extracting(ExperimentReport.VariantSummary::requests).containsExactly(1000L, 1000L);
        assertThat(r.variants().getFirst().metrics()).containsKeys("cost_usd", "latency_ms", "latency_inference_ms", "tokens",
                "error_rate", "guard_block_rate", "groundedness", "retrieval_relevance");
    }

    @Test
    void noVerdictBeforeTheMinimumSample() {
        ExperimentReport r = ExperimentReports.compute(EXP, traffic(40, 0.007, 2), List.of(), 0.05, 100);
        assertThat(r.verdicts().get("cheap")).isEqualTo("Not enough data for a verdict: control has 40 and cheap 40 requests; each arm needs 100.");
    }

    @Test
    void noDifferenceSaysHowManyMoreRequestsAreNeeded() {
        ExperimentReport r = ExperimentReports.compute(EXP, traffic(200, 0.0101, 3), List.of(), 0.05, 100);
        assertThat(r.verdicts().get("cheap")).startsWith("cheap shows no detected difference from control; no difference detected in cost yet: ")
                .containsPattern("[0-9,]+ more requests per arm needed");
    }

    @Test
    void flagsASampleRatioMismatch() {
        List<RequestRecord> rs = new ArrayList<>(traffic(1000, 0.01, 4));
        rs.removeIf(r -> r.lineage().variant().equals("cheap") && Integer.parseInt(r.id().substring(1)) % 10 == 1);
        ExperimentReport r = ExperimentReports.compute(EXP, rs, List.of(), 0.05, 100);
        assertThat(r.srm().mismatch()).isTrue();
        assertThat(ReportJson.of(r).path("srm").path("status").asText()).isEqualTo("mismatch");
    }

    @Test
    void feedbackIsAnOutcome() {
        List<Feedback> fb = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            fb.add(new Feedback("r" + i, "cost-test", "control", null, null, i % 2 == 0, null, Instant.EPOCH));
            fb.add(new Feedback("s" + i, "cost-test", "cheap", null, null, i % 10 != 0, null, Instant.EPOCH));
        }
        ExperimentReport r = ExperimentReports.compute(EXP, traffic(200, 0.01, 5), fb, 0.05, 100);
        ExperimentReport.MetricComparison thumbs = r.comparisons().get("cheap").stream()
                .filter(c -> c.metric().equals(Metric.THUMBS_UP)).findFirst().orElseThrow();
        assertThat(thumbs.comparison().difference()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(thumbs.significant(0.05)).isTrue();
        assertThat(r.verdicts().get("cheap")).contains("cheap has higher thumbs-up rate by 80 %");
    }
}
