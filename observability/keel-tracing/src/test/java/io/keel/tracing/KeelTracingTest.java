package io.keel.tracing;

import io.keel.core.answer.Answer;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SuppressWarnings("try") // scopes are held for their effect on the current context
class KeelTracingTest {
    private static final String INCOMING_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String INCOMING = "00-" + INCOMING_TRACE + "-00f067aa0ba902b7-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final KeelTracing tracing = KeelTracing.withProcessor(TracingConfig.defaults(), SimpleSpanProcessor.create(exporter));

    @AfterEach
    void close() {
        tracing.close();
    }

    private RequestSpan runQuery(KeelTracing t, String traceparent, java.util.function.Consumer<io.keel.core.pipeline.QueryRequest> inGenerate) {
        RequestSpan request = t.startRequest("/v1/query", "POST", traceparent);
        Throwable failure = null;
        try (Scope ignored = request.makeCurrent()) {
            TestPipelines.eightStages(t.stageObserver(), inGenerate).run(TestPipelines.request("req-1"));
        } catch (RuntimeException e) {
            failure = e;
        }
        request.end(failure == null ? 200 : 500, failure);
        return request;
    }

    private Map<String, SpanData> byName() {
        return exporter.getFinishedSpanItems().stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
    }

    @Test
    void stageSpansNestUnderTheRequestSpanInPipelineOrder() {
        RequestSpan request = runQuery(tracing, null, r -> { });

        Map<String, SpanData> spans = byName();
        assertThat(spans).hasSize(9);
        SpanData server = spans.get("POST /v1/query");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getParentSpanContext().isValid()).isFalse();
        assertThat(server.getTraceId()).isEqualTo(request.traceId());
        assertThat(server.getSpanId()).isEqualTo(request.spanId());
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/v1/query");

        String parent = server.getSpanId();
        for (String[] stage : TestPipelines.STAGES) {
            SpanData span = spans.get("keel." + stage[1]);
            assertThat(span).as(stage[1]).isNotNull();
            assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL);
            assertThat(span.getTraceId()).isEqualTo(request.traceId());
            assertThat(span.getParentSpanId()).as("parent of " + stage[1]).isEqualTo(parent);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("keel.stage"))).isEqualTo(stage[0]);
            assertThat(span.getAttributes().get(AttributeKey.stringKey("keel.request.id"))).isEqualTo("req-1");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("keel.route"))).isEqualTo("/v1/query");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("keel.collection"))).isEqualTo("docs");
            assertThat(span.getAttributes().get(AttributeKey.stringKey("keel.retrieval.mode"))).isEqualTo("hybrid");
            assertThat(span.getAttributes().get(AttributeKey.longKey("keel.top_k"))).isEqualTo(5L);
            parent = span.getSpanId();
        }
        // children end before their parents, so the innermost stage is exported first and the request span last
        List<String> order = exporter.getFinishedSpanItems().stream().map(SpanData::getName).toList();
        assertThat(order.getFirst()).isEqualTo("keel.inference");
        assertThat(order.getLast()).isEqualTo("POST /v1/query");
    }

    @Test
    void anIncomingTraceparentIsContinued() {
        RequestSpan request = runQuery(tracing, INCOMING, r -> { });

        assertThat(request.traceId()).isEqualTo(INCOMING_TRACE);
        assertThat(request.traceparent()).matches("00-" + INCOMING_TRACE + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7");
        SpanData server = byName().get("POST /v1/query");
        assertThat(server.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(server.getParentSpanContext().isRemote()).isTrue();
        assertThat(exporter.getFinishedSpanItems()).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(INCOMING_TRACE));
    }

    @Test
    void aMalformedTraceparentStartsANewTrace() {
        RequestSpan request = tracing.startRequest("/v1/query", "POST", "00-not-a-trace-01");
        request.end(200, null);
        assertThat(request.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        assertThat(byName().get("POST /v1/query").getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aModelCallIsAGenAiClientSpanUnderTheInferenceStage() {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Instant end = start.plusMillis(850);
        runQuery(tracing, null, r -> tracing.recordModelCall(KeelTracing.OPERATION_CHAT, "openai", "gpt-4o-mini",
                "gpt-4o-mini-2024-07-18", 1234, 56, start, end, "api.openai.com", null));

        Map<String, SpanData> spans = byName();
        SpanData call = spans.get("chat gpt-4o-mini");
        assertThat(call).isNotNull();
        assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(call.getParentSpanId()).isEqualTo(spans.get("keel.inference").getSpanId());
        assertThat(call.getStartEpochNanos()).isEqualTo(start.getEpochSecond() * 1_000_000_000L);
        assertThat(call.getEndEpochNanos() - call.getStartEpochNanos()).isEqualTo(850_000_000L);
        var a = call.getAttributes();
        assertThat(a.get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o-mini");
        assertThat(a.get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(1234L);
        assertThat(a.get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(56L);
        assertThat(a.get(AttributeKey.stringKey("server.address"))).isEqualTo("api.openai.com");
        assertThat(a.get(AttributeKey.stringKey("error.type"))).isNull();
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aFailedModelCallCarriesItsErrorTypeAndLeavesUnknownsOut() {
        tracing.recordModelCall("chat", null, "claude-haiku", null, -1, -1, null, null, null, "upstream_error");

        SpanData call = byName().get("chat claude-haiku");
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(call.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("upstream_error");
        assertThat(call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isNull();
        assertThat(call.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isNull();
        assertThat(call.getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void stagesAfterTheVariantStageCarryTheExperimentAndVariant() {
        RequestSpan request = tracing.startRequest("/v1/query", "POST", null);
        try (Scope ignored = request.makeCurrent()) {
            var r = TestPipelines.request("r");
            tracing.stageObserver().start(stage("embed-query", "embedding"), r).end(null);
            r.trail().variant(new io.keel.core.pipeline.Variant("prompts", "v2", Map.of("prompt", "2.0.0")));
            tracing.stageObserver().start(stage("generate", "inference"), r).end(null);
        }
        request.end(200, null);

        Map<String, SpanData> spans = byName();
        assertThat(spans.get("keel.embedding").getAttributes().get(AttributeKey.stringKey("keel.experiment"))).isNull();
        assertThat(spans.get("keel.inference").getAttributes().get(AttributeKey.stringKey("keel.experiment"))).isEqualTo("prompts");
        assertThat(spans.get("keel.inference").getAttributes().get(AttributeKey.stringKey("keel.variant"))).isEqualTo("v2");
    }

    @Test
    void aRecordedSpanNestsUnderTheRequestWithItsAttributesTimesAndError() {
        RequestSpan request = tracing.startRequest("/v1/agents/{name}/runs", "POST", null);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Scope ignored = request.makeCurrent()) {
            tracing.recordSpan("execute_tool calculator", Map.of("gen_ai.tool.name", "calculator", "keel.agent.run_id", "run_1"),
                    start, start.plusMillis(12), null);
            tracing.recordSpan("execute_tool http_get", Map.of("gen_ai.tool.name", "http_get"), start, start.plusMillis(3), "tool_error");
        }
        request.end(200, null);

        Map<String, SpanData> spans = byName();
        SpanData calc = spans.get("execute_tool calculator");
        assertThat(calc.getParentSpanId()).isEqualTo(spans.get("POST /v1/agents/{name}/runs").getSpanId());
        assertThat(calc.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(calc.getEndEpochNanos() - calc.getStartEpochNanos()).isEqualTo(12_000_000L);
        assertThat(calc.getAttributes().get(AttributeKey.stringKey("keel.agent.run_id"))).isEqualTo("run_1");
        assertThat(calc.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        SpanData failed = spans.get("execute_tool http_get");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("tool_error");
    }

    @Test
    void embeddingsAreAnInProcessSpanUnderTheEmbeddingStage() {
        RequestSpan request = tracing.startRequest("/v1/query", "POST", null);
        Instant start = Instant.now();
        try (Scope ignored = request.makeCurrent()) {
            var scope = tracing.stageObserver().start(stage("embed-query", "embedding"), TestPipelines.request("r"));
            tracing.recordEmbeddings("all-MiniLM-L6-v2", 9, start, start.plusMillis(3));
            scope.end(null);
        }
        request.end(200, null);

        Map<String, SpanData> spans = byName();
        SpanData emb = spans.get("embeddings all-MiniLM-L6-v2");
        assertThat(emb.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(emb.getParentSpanId()).isEqualTo(spans.get("keel.embedding").getSpanId());
        assertThat(emb.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("embeddings");
        assertThat(emb.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(9L);
        assertThat(emb.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isNull();
    }

    @Test
    void aFailingStageMarksEveryEnclosingSpanButRecordsTheExceptionOnce() {
        KeelException boom = new KeelException(ErrorCode.UPSTREAM_ERROR, "model down");
        runQuery(tracing, null, r -> { throw boom; });

        Map<String, SpanData> spans = byName();
        for (String[] stage : TestPipelines.STAGES) {
            SpanData s = spans.get("keel." + stage[1]);
            assertThat(s.getStatus().getStatusCode()).as(stage[1]).isEqualTo(StatusCode.ERROR);
            assertThat(s.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("upstream_error");
            long exceptionEvents = s.getEvents().stream().filter(e -> e.getName().equals("exception")).count();
            assertThat(exceptionEvents).as(stage[1]).isEqualTo(stage[1].equals("inference") ? 1 : 0);
        }
        SpanData server = spans.get("POST /v1/query");
        assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
        assertThat(server.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    }

    @Test
    void aClientErrorStatusIsNotAServerSpanError() {
        tracing.startRequest("/v1/query", "POST", null).end(404, null);
        tracing.startRequest("/v1/chat", "POST", null).end(503, null);

        assertThat(byName().get("POST /v1/query").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        SpanData failed = byName().get("POST /v1/chat");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
    }

    @Test
    void endingTwiceExportsOneSpan() {
        RequestSpan request = tracing.startRequest("/v1/query", "GET", null);
        request.end(200, null);
        request.end(500, null);
        assertThat(exporter.getFinishedSpanItems()).hasSize(1);
        assertThat(exporter.getFinishedSpanItems().getFirst().getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void callerTagsGoOnTheRequestSpanButNotTheUser() {
        tracing.startRequest("/v1/query", "POST", null)
                .setCaller(new Caller("acme", "alice@acme.com", "helpdesk", "search"))
                .setRequestId("req-9").setAttribute("keel.answer.cached", "no").end(200, null);

        var a = exporter.getFinishedSpanItems().getFirst().getAttributes();
        assertThat(a.get(AttributeKey.stringKey("keel.tenant"))).isEqualTo("acme");
        assertThat(a.get(AttributeKey.stringKey("keel.app"))).isEqualTo("helpdesk");
        assertThat(a.get(AttributeKey.stringKey("keel.feature"))).isEqualTo("search");
        assertThat(a.get(AttributeKey.stringKey("keel.request.id"))).isEqualTo("req-9");
        assertThat(a.get(AttributeKey.stringKey("keel.answer.cached"))).isEqualTo("no");
        assertThat(a.asMap().values()).doesNotContain("alice@acme.com");
    }

    @Test
    void disabledTracingMakesNoSpansButStillHandsOutUniqueTraceIds() {
        InMemorySpanExporter unused = InMemorySpanExporter.create();
        try (KeelTracing off = KeelTracing.withProcessor(TracingConfig.disabled(), SimpleSpanProcessor.create(unused))) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 100; i++) {
                RequestSpan r = runQuery(off, null, q -> off.recordModelCall("chat", "openai", "m", "m", 1, 1, null, null, null, null));
                assertThat(r.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
                assertThat(r.traceparent()).matches("00-" + r.traceId() + "-[0-9a-f]{16}-00");
                assertThat(r.sampled()).isFalse();
                ids.add(r.traceId());
            }
            assertThat(ids).hasSize(100);
            assertThat(runQuery(off, INCOMING, q -> { }).traceId()).isEqualTo(INCOMING_TRACE);
            assertThat(off.stageObserver()).isSameAs(io.keel.core.pipeline.StageObserver.NONE);
            assertThat(off.forceFlush(java.time.Duration.ofSeconds(1))).isTrue();
        }
        assertThat(unused.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void withoutAnEndpointSpansAreNotRecordedButIdsPropagate() {
        try (KeelTracing idsOnly = new KeelTracing(TracingConfig.defaults())) {
            assertThat(idsOnly.recording()).isFalse();
            assertThat(tracing.recording()).isTrue();
            RequestSpan r = runQuery(idsOnly, INCOMING, q -> idsOnly.recordModelCall("chat", null, "m", null, 1, 1, null, null, null, null));
            assertThat(r.traceId()).isEqualTo(INCOMING_TRACE);
            assertThat(r.spanId()).matches("[0-9a-f]{16}").isNotEqualTo("00f067aa0ba902b7");
            assertThat(r.sampled()).isFalse();
            assertThat(runQuery(idsOnly, null, q -> { }).traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
        }
    }

    @Test
    void aZeroSampleRatioRecordsNothingNewButFollowsASampledCaller() {
        try (KeelTracing sampled = KeelTracing.withProcessor(TracingConfig.defaults().withSampleRatio(0), SimpleSpanProcessor.create(exporter))) {
            RequestSpan r = runQuery(sampled, null, q -> { });
            assertThat(r.sampled()).isFalse();
            assertThat(exporter.getFinishedSpanItems()).isEmpty();

            runQuery(sampled, INCOMING, q -> { });
            assertThat(exporter.getFinishedSpanItems()).hasSize(9);
        }
    }

    @Test
    void theResourceNamesTheServiceAndItsVersion() {
        tracing.startRequest("/health", "GET", null).end(200, null);
        var resource = exporter.getFinishedSpanItems().getFirst().getResource();
        assertThat(resource.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("keel");
        assertThat(resource.getAttribute(AttributeKey.stringKey("service.version"))).isEqualTo(KeelTracing.VERSION).matches("\\d+\\.\\d+.*");
    }

    @Test
    void modelCallsNeedAnOperation() {
        assertThatThrownBy(() -> tracing.recordModelCall(null, null, "m", null, 0, 0, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("operation");
    }

    private static io.keel.core.pipeline.Stage<QueryRequest, Answer> stage(String name, String key) {
        return new io.keel.core.pipeline.Stage<QueryRequest, Answer>() {
            public String name() { return name; }
            public String timingKey() { return key; }
            public io.keel.core.answer.Answer handle(io.keel.core.pipeline.QueryRequest r, Chain<QueryRequest, Answer> c) { return c.proceed(r); }
        };
    }
}
