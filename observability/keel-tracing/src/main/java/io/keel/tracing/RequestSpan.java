package io.keel.tracing;

import io.keel.core.answer.Caller;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The SERVER span of one HTTP request, as the server filter sees it: it names the trace id for the response header,
 * is made current around the handler so stage and model-call spans nest under it, and is ended with the status.
 *
 * <p>Its ids are always valid, also when the span is not recorded (not sampled, no exporter, or tracing disabled):
 * the request then still gets a trace id, continued from the caller's {@code traceparent} when it sent one and
 * random otherwise, so every response can be correlated with its logs.
 */
public final class RequestSpan {
    private final Span span;
    private final Context context;
    private final AtomicBoolean ended = new AtomicBoolean();

    RequestSpan(Span span, Context parent) {
        this.span = span;
        this.context = parent.with(span);
    }

    /** 32 lower-case hex digits, never all zero. */
    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    /** 16 lower-case hex digits: this server span's id. */
    public String spanId() {
        return span.getSpanContext().getSpanId();
    }

    /** Whether the span is recorded and exported. */
    public boolean sampled() {
        return span.getSpanContext().isSampled();
    }

    /** The W3C {@code traceparent} value naming this span, for the response header. */
    public String traceparent() {
        SpanContext c = span.getSpanContext();
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /**
     * Makes this span the current one on this thread until the returned scope is closed (on the same thread), so the
     * pipeline's stage spans and model-call spans become its children.
     */
    public Scope makeCurrent() {
        return context.makeCurrent();
    }

    /** The OpenTelemetry context holding this span, e.g. to {@code wrap} a callback that runs on another thread. */
    public Context context() {
        return context;
    }

    /** Ignored when {@code value} is null. */
    public RequestSpan setAttribute(String key, String value) {
        if (value != null) span.setAttribute(AttributeKey.stringKey(key), value);
        return this;
    }

    public RequestSpan setAttribute(String key, long value) {
        span.setAttribute(AttributeKey.longKey(key), value);
        return this;
    }

    public RequestSpan setRequestId(String id) {
        if (id != null) span.setAttribute(SpanAttributes.REQUEST_ID, id);
        return this;
    }

    /**
     * {@code keel.tenant}, {@code keel.app} and {@code keel.feature}. The end user is left out on purpose: traces
     * often go to a shared backend with looser access rules than the request log.
     */
    public RequestSpan setCaller(Caller caller) {
        if (caller == null || !span.isRecording()) return this;
        span.setAttribute(SpanAttributes.TENANT, caller.tenant());
        if (caller.app() != null) span.setAttribute(SpanAttributes.APP, caller.app());
        if (caller.feature() != null) span.setAttribute(SpanAttributes.FEATURE, caller.feature());
        return this;
    }

    /**
     * Ends the span; later calls are ignored. A 5xx status or an error marks it failed (a 4xx does not: for a server
     * span that is the client's mistake, per the HTTP conventions).
     *
     * @param error what the handler threw, or null
     */
    public void end(int httpStatus, Throwable error) {
        if (!ended.compareAndSet(false, true)) return;
        if (span.isRecording()) {
            if (httpStatus > 0) span.setAttribute(SpanAttributes.HTTP_STATUS, httpStatus);
            if (error != null) {
                span.recordException(error);
                span.setAttribute(SpanAttributes.ERROR_TYPE, SpanAttributes.errorType(error));
                span.setStatus(StatusCode.ERROR);
            } else if (httpStatus >= 500) {
                span.setAttribute(SpanAttributes.ERROR_TYPE, Integer.toString(httpStatus));
                span.setStatus(StatusCode.ERROR);
            }
        }
        span.end();
    }
}
