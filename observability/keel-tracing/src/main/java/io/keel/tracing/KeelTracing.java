package io.keel.tracing;

import io.keel.core.pipeline.StageObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Keel's OpenTelemetry tracing: a SERVER span per HTTP request, an INTERNAL span per pipeline stage, and a span per
 * model call following the GenAI semantic conventions ({@code gen_ai.*}), exported over OTLP when an endpoint is
 * configured. One instance per Keel instance; nothing is registered globally ({@code GlobalOpenTelemetry} stays
 * untouched), so several can live in one JVM.
 *
 * <p>Two modes, from {@link TracingConfig}:
 * <ul>
 *   <li>enabled with an OTLP endpoint: spans are sampled ({@code sample_ratio}, parent-based: a caller's decision in
 *       its {@code traceparent} wins) and batched to the collector;</li>
 *   <li>otherwise (the default, no endpoint; or disabled): ids only. No SDK is built, since the SDK would drop every
 *       span anyway; {@link #startRequest} still continues the caller's trace id or makes a random one, so every
 *       response carries a trace id, and the stage observer and model-call recording do nothing.</li>
 * </ul>
 */
public final class KeelTracing implements AutoCloseable {
    /** {@code gen_ai.operation.name} of a chat completion. */
    public static final String OPERATION_CHAT = "chat";
    /** {@code gen_ai.operation.name} of an embeddings call. */
    public static final String OPERATION_EMBEDDINGS = "embeddings";

    private static final String INSTRUMENTATION = "io.keel.tracing";
    static final String VERSION = version();
    /** Reads {traceparent, tracestate} for the W3C propagator. */
    private static final TextMapGetter<String[]> HEADERS = (carrier, key) -> carrier == null ? null
            : "traceparent".equals(key) ? carrier[0] : "tracestate".equals(key) ? carrier[1] : null;

    private final TracingConfig config;
    private final SdkTracerProvider provider; // null when only ids are handed out
    private final Tracer tracer;              // null when only ids are handed out
    private final StageObserver stageObserver;
    private final SpanProcessor unused;       // a processor given while disabled, shut down on close

    /** Builds the SDK the configuration asks for: with an OTLP exporter behind a batch processor when it names an endpoint. */
    public KeelTracing(TracingConfig config) {
        this(config, config.exports() ? BatchSpanProcessor.builder(exporter(config))
                .setExporterTimeout(config.exportTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .setMeterProvider(MeterProvider::noop)
                .build() : null);
    }

    private KeelTracing(TracingConfig config, SpanProcessor processor) {
        this.config = Objects.requireNonNull(config, "config");
        if (!config.enabled() || processor == null) {
            provider = null;
            tracer = null;
            stageObserver = StageObserver.NONE;
            unused = processor;
            return;
        }
        provider = SdkTracerProvider.builder().setResource(resource(config)).addSpanProcessor(processor)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
                .build();
        tracer = provider.get(INSTRUMENTATION, VERSION);
        stageObserver = new StageSpans(tracer);
        unused = null;
    }

    /**
     * Spans go to {@code processor} instead of the configured exporter (whose endpoint is ignored): for tests
     * ({@code SimpleSpanProcessor} over an {@code InMemorySpanExporter}) and for embedders bringing their own export.
     * Closing this closes the processor.
     */
    public static KeelTracing withProcessor(TracingConfig config, SpanProcessor processor) {
        return new KeelTracing(config, Objects.requireNonNull(processor, "processor"));
    }

    public TracingConfig config() {
        return config;
    }

    /**
     * Starts the SERVER span of an HTTP request, continuing the caller's trace when {@code traceparent} is a valid W3C
     * header (an invalid one is ignored and a new trace starts).
     *
     * @param route  the route template, e.g. {@code /v1/query}
     * @param method the HTTP method
     */
    public RequestSpan startRequest(String route, String method, String traceparent) {
        return startRequest(route, method, traceparent, null);
    }

    /** As {@link #startRequest(String, String, String)}, also keeping the caller's W3C {@code tracestate}. */
    public RequestSpan startRequest(String route, String method, String traceparent, String tracestate) {
        Context parent = traceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), new String[] {traceparent, tracestate}, HEADERS);
        if (tracer == null) return new RequestSpan(Span.wrap(untracedContext(parent)), parent);
        String name = method == null ? Objects.requireNonNullElse(route, "request")
                : route == null ? method : method + " " + route;
        SpanBuilder b = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.SERVER);
        if (method != null) b.setAttribute(SpanAttributes.HTTP_METHOD, method);
        if (route != null) b.setAttribute(SpanAttributes.HTTP_ROUTE, route);
        return new RequestSpan(b.startSpan(), parent);
    }

    /** The observer to give the query {@code Pipeline}: a span per stage, nested under the current span. */
    public StageObserver stageObserver() {
        return stageObserver;
    }

    /**
     * Records a finished model call as a CLIENT span named {@code {operation} {requestModel}} (e.g. {@code chat
     * gpt-4o-mini}) with the GenAI attributes, parented on the current span (the inference stage's, when called on
     * the request thread). Made after the fact from explicit timestamps, so callers need not hold a span open.
     *
     * @param operation     {@link #OPERATION_CHAT}, {@link #OPERATION_EMBEDDINGS}, ...
     * @param providerName  {@code gen_ai.provider.name}, e.g. {@code openai}, {@code anthropic}; null if unknown
     * @param responseModel the model that answered; null if none did
     * @param inputTokens   negative when unknown (then left out)
     * @param outputTokens  negative when unknown (then left out)
     * @param start         null: now
     * @param end           null: now
     * @param serverAddress host of the endpoint called last; null if none
     * @param errorType     null on success, else a low-cardinality code (e.g. {@code upstream_error}, {@code timeout})
     */
    public void recordModelCall(String operation, String providerName, String requestModel, String responseModel,
                                long inputTokens, long outputTokens, Instant start, Instant end,
                                String serverAddress, String errorType) {
        Span span = startCall(operation, requestModel, SpanKind.CLIENT, start);
        if (span == null) return;
        if (providerName != null) span.setAttribute(SpanAttributes.GEN_AI_PROVIDER, providerName);
        if (responseModel != null) span.setAttribute(SpanAttributes.GEN_AI_RESPONSE_MODEL, responseModel);
        if (serverAddress != null) span.setAttribute(SpanAttributes.SERVER_ADDRESS, serverAddress);
        endCall(span, inputTokens, outputTokens, end, errorType);
    }

    /**
     * Records an embeddings call of an in-process model (Keel's ONNX embedder) as an INTERNAL span named
     * {@code embeddings {model}}, as the conventions allow for models running in the same process. A remote
     * embeddings API goes through {@link #recordModelCall} with {@link #OPERATION_EMBEDDINGS} instead.
     */
    public void recordEmbeddings(String model, long inputTokens, Instant start, Instant end) {
        Span span = startCall(OPERATION_EMBEDDINGS, model, SpanKind.INTERNAL, start);
        if (span != null) endCall(span, inputTokens, -1, end, null);
    }

    /**
     * Records a finished piece of work as an INTERNAL span named {@code name}, parented on the current span, with string
     * attributes (e.g. an agent step: {@code execute_tool calculator} with {@code gen_ai.tool.name}). Made after the
     * fact from explicit timestamps, like {@link #recordModelCall}.
     *
     * @param errorType null on success, else a low-cardinality code
     */
    public void recordSpan(String name, java.util.Map<String, String> attributes, Instant start, Instant end, String errorType) {
        if (tracer == null) return;
        SpanBuilder b = tracer.spanBuilder(Objects.requireNonNull(name, "name")).setSpanKind(SpanKind.INTERNAL).setParent(Context.current());
        if (start != null) b.setStartTimestamp(start);
        Span span = b.startSpan();
        if (span.isRecording()) {
            attributes.forEach((k, v) -> {
                if (v != null) span.setAttribute(k, v);
            });
            if (errorType != null) {
                span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
                span.setStatus(StatusCode.ERROR);
            }
        }
        if (end == null) span.end();
        else span.end(end);
    }

    private Span startCall(String operation, String model, SpanKind kind, Instant start) {
        if (tracer == null) return null;
        Objects.requireNonNull(operation, "operation");
        SpanBuilder b = tracer.spanBuilder(model == null ? operation : operation + " " + model)
                .setSpanKind(kind).setParent(Context.current());
        if (start != null) b.setStartTimestamp(start);
        Span span = b.startSpan();
        if (!span.isRecording()) {
            span.end();
            return null;
        }
        span.setAttribute(SpanAttributes.GEN_AI_OPERATION, operation);
        if (model != null) span.setAttribute(SpanAttributes.GEN_AI_REQUEST_MODEL, model);
        return span;
    }

    private static void endCall(Span span, long inputTokens, long outputTokens, Instant end, String errorType) {
        if (inputTokens >= 0) span.setAttribute(SpanAttributes.GEN_AI_INPUT_TOKENS, inputTokens);
        if (outputTokens >= 0) span.setAttribute(SpanAttributes.GEN_AI_OUTPUT_TOKENS, outputTokens);
        if (errorType != null) {
            span.setAttribute(SpanAttributes.ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
        }
        if (end == null) span.end();
        else span.end(end);
    }

    /** True when spans are recorded and exported; false when only trace ids are handed out. */
    public boolean recording() {
        return tracer != null;
    }

    /**
     * Hands every finished span to the exporter now and waits for it; false when that did not complete within
     * {@code timeout}. An export the collector refused is logged by the SDK, not reported here.
     */
    public boolean forceFlush(Duration timeout) {
        if (provider == null) return true;
        return provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Flushes what is queued (waiting at most the export timeout) and stops the exporter. */
    @Override
    public void close() {
        if (unused != null) unused.shutdown();
        if (provider == null) return;
        CompletableResultCode done = provider.shutdown();
        done.join(config.exportTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** A valid, non-recording span context: the caller's trace with a new span id, or a new random trace. */
    private static SpanContext untracedContext(Context parent) {
        SpanContext incoming = Span.fromContext(parent).getSpanContext();
        IdGenerator ids = IdGenerator.random();
        String traceId = incoming.isValid() ? incoming.getTraceId() : ids.generateTraceId();
        TraceState state = incoming.isValid() ? incoming.getTraceState() : TraceState.getDefault();
        return SpanContext.create(traceId, ids.generateSpanId(), TraceFlags.getDefault(), state);
    }

    private static SpanExporter exporter(TracingConfig config) {
        long timeoutMs = config.exportTimeout().toMillis();
        if (config.protocol() == TracingConfig.Protocol.GRPC) {
            OtlpGrpcSpanExporterBuilder b = OtlpGrpcSpanExporter.builder().setEndpoint(config.exportUrl())
                    .setTimeout(timeoutMs, TimeUnit.MILLISECONDS).setMeterProvider(MeterProvider::noop);
            config.headers().forEach(b::addHeader);
            return b.build();
        }
        OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(config.exportUrl())
                .setTimeout(timeoutMs, TimeUnit.MILLISECONDS).setMeterProvider(MeterProvider::noop);
        config.headers().forEach(b::addHeader);
        return b.build();
    }

    private static Resource resource(TracingConfig config) {
        String version = config.serviceVersion() == null ? VERSION : config.serviceVersion();
        return Resource.getDefault().merge(Resource.builder()
                .put(AttributeKey.stringKey("service.name"), config.serviceName())
                .put(AttributeKey.stringKey("service.version"), version)
                .build());
    }

    /** Keel's version, filtered into version.properties at build time. */
    private static String version() {
        try (InputStream in = KeelTracing.class.getResourceAsStream("version.properties")) {
            if (in == null) return "unknown";
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
