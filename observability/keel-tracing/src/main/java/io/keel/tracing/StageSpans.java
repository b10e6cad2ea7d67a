package io.keel.tracing;

import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.RouteRequest;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.Variant;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One INTERNAL span per pipeline stage, named {@code keel.<timing key>} (keel.embedding, keel.inference, ...), made
 * current while the stage runs so the stages after it, and the model calls it makes, nest under it. A failure is
 * recorded as an exception event only on the innermost span it passed through; the outer ones get the error status
 * and {@code error.type} without a second copy of the stack trace. Stages after the variant stage carry the request's
 * experiment and variant ({@code keel.experiment}, {@code keel.variant}).
 */
final class StageSpans implements StageObserver {
    private static final ContextKey<StageScope> CURRENT = ContextKey.named("keel-stage-span");

    private static final String[] MODES = java.util.Arrays.stream(RetrievalMode.values()).map(RetrievalMode::wireName).toArray(String[]::new);

    private final Tracer tracer;
    private final ConcurrentHashMap<String, String> spanNames = new ConcurrentHashMap<>();

    StageSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    @Override
    public Scope start(Stage<?, ?> stage, RouteRequest<?> request) {
        Context parent = Context.current();
        Span span = tracer.spanBuilder(spanNames.computeIfAbsent(stage.timingKey(), k -> "keel." + k))
                .setParent(parent).setSpanKind(SpanKind.INTERNAL).startSpan();
        if (span.isRecording()) describe(span, stage, request);
        StageScope scope = new StageScope(span, parent.get(CURRENT));
        scope.otelScope = parent.with(span).with(CURRENT, scope).makeCurrent();
        return scope;
    }

    private static void describe(Span span, Stage<?, ?> stage, RouteRequest<?> request) {
        span.setAttribute(SpanAttributes.STAGE, stage.name());
        span.setAttribute(SpanAttributes.REQUEST_ID, request.id());
        if (request.route() != null) span.setAttribute(SpanAttributes.ROUTE, request.route());
        Variant variant = request.trail().variant();
        if (variant.assigned()) {
            span.setAttribute(SpanAttributes.EXPERIMENT, variant.experiment());
            span.setAttribute(SpanAttributes.VARIANT, variant.name());
        }
        if (!(request instanceof QueryRequest query)) return;
        Query q = query.query();
        span.setAttribute(SpanAttributes.COLLECTION, q.collection());
        span.setAttribute(SpanAttributes.RETRIEVAL_MODE, MODES[q.mode().ordinal()]);
        span.setAttribute(SpanAttributes.TOP_K, q.topK());
    }

    private static final class StageScope implements Scope {
        private final Span span;
        private final StageScope enclosing;
        private io.opentelemetry.context.Scope otelScope;
        private Throwable recordedBelow;

        StageScope(Span span, StageScope enclosing) {
            this.span = span;
            this.enclosing = enclosing;
        }

        @Override
        public void end(Throwable error) {
            otelScope.close();
            if (error != null) {
                if (span.isRecording()) {
                    if (error != recordedBelow) span.recordException(error);
                    span.setAttribute(SpanAttributes.ERROR_TYPE, SpanAttributes.errorType(error));
                    span.setStatus(StatusCode.ERROR);
                }
                if (enclosing != null) enclosing.recordedBelow = error;
            }
            span.end();
        }
    }
}
