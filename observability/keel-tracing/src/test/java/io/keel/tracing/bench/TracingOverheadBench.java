package io.keel.tracing.bench;

import io.keel.core.answer.Answer;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.StageObserver;
import io.keel.tracing.KeelTracing;
import io.keel.tracing.RequestSpan;
import io.keel.tracing.TestPipelines;
import io.keel.tracing.TracingConfig;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Per-request tracing cost on an eight-stage pipeline of empty stages, single thread: ns/request (median of several
 * runs) and bytes allocated per request, for no tracing, ids only (the default without an endpoint), recorded spans
 * with no export, and recorded spans through a BatchSpanProcessor to an exporter that drops them. Each traced request
 * also records one chat model call. Run from the IDE or:
 * {@code java -cp <test classpath> io.keel.tracing.bench.TracingOverheadBench [runs] [requestsPerRun]}.
 */
@SuppressWarnings("try") // the scope is held for its effect on the current context
public final class TracingOverheadBench {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int perRun = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;

        Map<String, Supplier<KeelTracing>> cases = new LinkedHashMap<>();
        cases.put("no tracing", () -> null);
        cases.put("ids only (default, no endpoint)", () -> new KeelTracing(TracingConfig.defaults()));
        cases.put("SDK spans, no export", () -> KeelTracing.withProcessor(TracingConfig.defaults(), new DiscardingProcessor()));
        cases.put("SDK spans + BatchSpanProcessor -> no-op exporter", () -> KeelTracing.withProcessor(TracingConfig.defaults(),
                BatchSpanProcessor.builder(new NoopExporter()).setMaxQueueSize(1 << 16).build()));

        System.out.printf("%-52s %12s %12s %14s%n", "case", "ns/req p50", "ns/req min", "bytes/req");
        for (var c : cases.entrySet()) {
            try (KeelTracing tracing = c.getValue().get()) {
                Pipeline<QueryRequest, Answer> pipeline = TestPipelines.eightStages(tracing == null ? StageObserver.NONE : tracing.stageObserver(),
                        r -> { if (tracing != null) tracing.recordModelCall("chat", "openai", "gpt-4o-mini", "gpt-4o-mini", 1200, 80, T0, T0.plusMillis(5), null, null); });
                for (int i = 0; i < 3; i++) run(pipeline, tracing, perRun); // warm up
                long[] ns = new long[runs];
                long bytes = 0;
                for (int i = 0; i < runs; i++) {
                    long a0 = allocated();
                    ns[i] = run(pipeline, tracing, perRun);
                    bytes += allocated() - a0;
                }
                Arrays.sort(ns);
                System.out.printf("%-52s %12d %12d %14d%n", c.getKey(), ns[runs / 2], ns[0], bytes / ((long) runs * perRun));
            }
        }
    }

    /** Average ns per request over {@code n} requests. */
    private static long run(Pipeline<QueryRequest, Answer> pipeline, KeelTracing tracing, int n) {
        long start = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < n; i++) {
            QueryRequest request = TestPipelines.request("req-" + i);
            if (tracing == null) {
                sink += pipeline.run(request).text().length();
                continue;
            }
            RequestSpan span = tracing.startRequest("/v1/query", "POST", null);
            try (Scope ignored = span.makeCurrent()) {
                span.setRequestId(request.id());
                sink += pipeline.run(request).text().length();
            }
            span.end(200, null);
            sink += span.traceId().length();
        }
        if (sink == 42) System.out.print(""); // keep the work observable
        if (Context.current() != Context.root()) throw new IllegalStateException("context leaked");
        return (System.nanoTime() - start) / n;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Makes the SDK record spans (any processor does) and then forgets them. */
    private static final class DiscardingProcessor implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    }

    private static final class NoopExporter implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
