package io.keel.metrics;

import io.keel.core.answer.Timings;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns every finished request into metrics: it is one more {@link RequestLog}, so the query pipeline and the
 * OpenAI-compatible routes feed it the same records the request log gets (which carry no text it would need to
 * redact: it reads only routes, statuses, model names, timings, tokens and cost).
 *
 * <ul>
 *   <li>{@code keel_requests_total{route,status,model}}</li>
 *   <li>{@code keel_stage_duration_seconds{stage,route}}: a histogram per pipeline stage (guard_input, embedding,
 *       vector_search, inference, guard_output, total, ...), recorded for the stages that ran</li>
 *   <li>{@code keel_tokens_total{model,tenant,type=prompt|completion}} and {@code keel_cost_usd_total{model,tenant}}</li>
 *   <li>{@code keel_experiment_requests_total{experiment,variant,status}}, {@code keel_experiment_cost_usd_total{experiment,variant}}
 *   and {@code keel_experiment_duration_seconds{experiment,variant}} for requests in an experiment</li>
 *   <li>{@code keel_guard_findings_total{type,route}}: guard findings by type (never their text)</li>
 *   <li>{@code keel_route_decisions_total{rule,kind,model}}: requests a routing table decided, by the rule that
 *       matched, the kind of reason ({@code tenant}, {@code intent}, {@code cascade-escalated}, ...; the part of the
 *       lineage's route reason before its first colon) and the model that answered</li>
 * </ul>
 * Other components add gauges (freshness, drift, cache hits) to {@link #registry()}.
 */
public final class KeelMetrics implements RequestLog {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void record(RequestRecord r) {
        String route = r.route() == null ? "unknown" : r.route();
        String model = r.lineage() == null || r.lineage().generator() == null ? "none" : r.lineage().generator();
        Counter.builder("keel.requests").description("Requests by route, outcome and the model that answered")
                .tags("route", route, "status", r.status(), "model", model).register(registry).increment();
        for (Map.Entry<String, Long> stage : r.timings().nanos().entrySet()) {
            boolean ran = stage.getValue() > 0 || stage.getKey().equals(Timings.TOTAL);
            if (!ran) continue;
            Timer.builder("keel.stage.duration").description("Time spent in one stage of a request")
                    .tags("stage", stage.getKey(), "route", route)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry).record(stage.getValue(), TimeUnit.NANOSECONDS);
        }
        String tenant = r.caller().tenant();
        if (r.usage().promptTokens() > 0) tokens(model, tenant, "prompt").increment(r.usage().promptTokens());
        if (r.usage().completionTokens() > 0) tokens(model, tenant, "completion").increment(r.usage().completionTokens());
        if (r.usage().costUsd() > 0) {
            Counter.builder("keel.cost.usd").description("Spend in US dollars").tags("model", model, "tenant", tenant)
                    .register(registry).increment(r.usage().costUsd());
        }
        if (r.lineage() != null && r.lineage().experiment() != null) experiment(r, r.lineage().experiment(), r.lineage().variant());
        if (r.lineage() != null && r.lineage().route() != null) {
            String reason = r.lineage().routeReason() == null ? "" : r.lineage().routeReason();
            int colon = reason.indexOf(':');
            Counter.builder("keel.route.decisions").description("Requests a routing table decided, by rule and reason")
                    .tags("rule", r.lineage().route(), "kind", colon < 0 ? reason : reason.substring(0, colon), "model", model)
                    .register(registry).increment();
        }
        for (String type : r.findings()) {
            Counter.builder("keel.guard.findings").description("Guard findings by type")
                    .tags("type", type, "route", route).register(registry).increment();
        }
    }

    /**
     * The request's outcome per experiment arm: one series per experiment even when the request was in experiments of
     * several layers (stamped {@code prompts+retrieval} / {@code v2+bm25}).
     */
    private void experiment(RequestRecord r, String experiments, String variants) {
        String[] names = experiments.split("\\+", -1);
        String[] arms = variants == null ? new String[0] : variants.split("\\+", -1);
        if (names.length != arms.length) return;
        for (int i = 0; i < names.length; i++) {
            Counter.builder("keel.experiment.requests").description("Requests by experiment, variant and outcome")
                    .tags("experiment", names[i], "variant", arms[i], "status", r.status()).register(registry).increment();
            if (r.usage().costUsd() > 0) {
                Counter.builder("keel.experiment.cost.usd").description("Spend in US dollars by experiment and variant")
                        .tags("experiment", names[i], "variant", arms[i]).register(registry).increment(r.usage().costUsd());
            }
            Long total = r.timings().nanos().get(Timings.TOTAL);
            if (total != null) {
                Timer.builder("keel.experiment.duration").description("Request latency by experiment and variant")
                        .tags("experiment", names[i], "variant", arms[i])
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(60))
                        .register(registry).record(total, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** One chunk of {@code collection} held back at ingestion ({@code keel_ingest_quarantined_chunks_total}). */
    public void quarantined(String collection) {
        Counter.builder("keel.ingest.quarantined.chunks").description("Chunks held back at ingestion (never indexed), by collection")
                .tags("collection", collection).register(registry).increment();
    }

    private Counter tokens(String model, String tenant, String type) {
        return Counter.builder("keel.tokens").description("Tokens by model, tenant and direction")
                .tags("model", model, "tenant", tenant, "type", type).register(registry);
    }

    @Override
    public void close() {
        registry.close();
    }
}
