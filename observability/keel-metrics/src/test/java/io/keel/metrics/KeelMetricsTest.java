package io.keel.metrics;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KeelMetricsTest {
    @Test
    void aRequestBecomesCountsStageHistogramsTokensAndCost() {
        KeelMetrics metrics = new KeelMetrics();
        Timings timings = new Timings(Map.of(Timings.EMBEDDING, 3_000_000L, Timings.VECTOR_SEARCH, 2_000_000L,
                Timings.INFERENCE, 40_000_000L, Timings.TOTAL, 46_000_000L));
        metrics.record(RequestRecord.builder("r1", "/v1/query").caller(new Caller("acme", null, null, null)).question("q")
                .usage(new Usage(120, 30, 0.0015, false)).timings(timings)
                .lineage(Lineage.of("m", "default@1", "gpt-x", "p@1", Map.of())).findings(List.of("EMAIL_ADDRESS")).build());

        String text = metrics.scrape();
        assertThat(text).contains("keel_requests_total{model=\"gpt-x\",route=\"/v1/query\",status=\"ok\"} 1.0");
        for (String stage : List.of("embedding", "vector_search", "inference", "total")) {
            assertThat(text).contains("keel_stage_duration_seconds_bucket{route=\"/v1/query\",stage=\"" + stage + "\"");
        }
        assertThat(text).doesNotContain("stage=\"guard_input\"");
        assertThat(text).contains("keel_tokens_total{model=\"gpt-x\",tenant=\"acme\",type=\"prompt\"} 120.0")
                .contains("keel_tokens_total{model=\"gpt-x\",tenant=\"acme\",type=\"completion\"} 30.0")
                .contains("keel_cost_usd_total{model=\"gpt-x\",tenant=\"acme\"} 0.0015")
                .contains("keel_guard_findings_total{route=\"/v1/query\",type=\"EMAIL_ADDRESS\"} 1.0");
    }

    @Test
    void aRequestInExperimentsOfTwoLayersCountsOncePerExperimentArm() {
        KeelMetrics metrics = new KeelMetrics();
        Timings timings = new Timings(Map.of(Timings.INFERENCE, 40_000_000L, Timings.TOTAL, 46_000_000L));
        metrics.record(RequestRecord.builder("r1", "/v1/query").question("q").usage(new Usage(120, 30, 0.0015, false))
                .timings(timings).lineage(Lineage.of("m", "default@1", "gpt-x", "p@1", Map.of())
                        .withExperiment("prompts+retrieval", "v2+bm25")).build());
        metrics.record(RequestRecord.builder("r2", "/v1/query").question("q").timings(timings).build());

        String text = metrics.scrape();
        assertThat(text).contains("keel_experiment_requests_total{experiment=\"prompts\",status=\"ok\",variant=\"v2\"} 1.0")
                .contains("keel_experiment_requests_total{experiment=\"retrieval\",status=\"ok\",variant=\"bm25\"} 1.0")
                .contains("keel_experiment_cost_usd_total{experiment=\"prompts\",variant=\"v2\"} 0.0015")
                .contains("keel_experiment_duration_seconds_count{experiment=\"retrieval\",variant=\"bm25\"} 1");
        assertThat(text).doesNotContain("variant=\"v2+bm25\"");
    }

    @Test
    void routedRequestsAreCountedByRuleReasonKindAndModel() {
        KeelMetrics metrics = new KeelMetrics();
        Lineage routed = Lineage.EMPTY.withGenerator("gpt-large", null, null, "none")
                .withRoute("support/billing", "intent: intent=billing (0.91); cascade: refusal 0.00 < 0.50, escalated to gpt-large");
        for (int i = 0; i < 3; i++) {
            metrics.record(RequestRecord.builder("r" + i, "/v1/chat/completions").question("q").lineage(routed).build());
        }
        metrics.record(RequestRecord.builder("plain", "/v1/chat/completions").question("q")
                .lineage(Lineage.EMPTY.withGenerator("gpt-small", null, null, "none")).build());
        String text = metrics.scrape();
        assertThat(text).contains("keel_route_decisions_total{kind=\"intent\",model=\"gpt-large\",rule=\"support/billing\"} 3.0");
        assertThat(text).doesNotContain("keel_route_decisions_total{kind=\"intent\",model=\"gpt-small\"");
        metrics.close();
    }
}
