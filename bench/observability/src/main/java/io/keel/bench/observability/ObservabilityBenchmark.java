package io.keel.bench.observability;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Usage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.RecordStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.RequestLog;
import io.keel.guard.action.RedactingRequestLog;
import io.keel.metrics.KeelMetrics;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlRequestStore;
import io.keel.tracing.KeelTracing;
import io.keel.tracing.RequestSpan;
import io.keel.tracing.TracingConfig;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What the observability layer costs one request: the same eight-stage query pipeline (stages that do no work, so
 * only the bookkeeping is measured) run with nothing attached, and with everything a Keel server attaches — the
 * request span around the request, a span per stage and one per model call, the redacting request log into SQLite,
 * and the Prometheus metrics. The difference of the two is the overhead the target bounds (p50 &lt; 0.2 ms).
 *
 * <p>{@code context=repeated} hands every request the same five chunks, as popular documents do, so their redactions
 * come from the cache; {@code context=fresh} makes every chunk new, so each request redacts about 3,000 characters.
 *
 * <p>{@code tracing=ids} is the default configuration (no OTLP endpoint: trace ids are handed out, no span is
 * recorded); {@code tracing=export} records every span and hands it to a batch processor, as with an endpoint set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ObservabilityBenchmark {
    @Param({"none", "ids", "export"})
    public String tracing;

    /** {@code repeated}: the same five chunks every time (their redactions are cached); {@code fresh}: new text each request. */
    @Param({"repeated", "fresh"})
    public String context;

    private Path dir;
    private Database database;
    private SqlRequestStore store;
    private KeelMetrics metrics;
    private KeelTracing keelTracing;
    private Pipeline<QueryRequest, Answer> bare;
    private Pipeline<QueryRequest, Answer> observed;
    private final AtomicLong ids = new AtomicLong();

    /** Retrieved context of realistic size: five chunks of ~90 words, one carrying an e-mail address. */
    static final List<SearchHit> CONTEXT = context();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("keel-bench-observability");
        database = Database.sqlite(dir.resolve("keel.db"));
        store = new SqlRequestStore(database);
        metrics = new KeelMetrics();
        keelTracing = switch (tracing) {
            case "export" -> KeelTracing.withProcessor(TracingConfig.defaults(), BatchSpanProcessor.builder(SpanExporter.composite()).build());
            case "ids" -> new KeelTracing(TracingConfig.defaults());
            default -> null;
        };
        bare = pipeline(RequestLog.NONE, StageObserver.NONE);
        RequestLog redacted = new RedactingRequestLog(store);
        RequestLog both = r -> {
            redacted.record(r);
            metrics.record(r);
        };
        observed = pipeline(both, keelTracing == null ? StageObserver.NONE : keelTracing.stageObserver());
    }

    private Pipeline<QueryRequest, Answer> pipeline(RequestLog log, StageObserver observer) {
        List<Stage<QueryRequest, Answer>> stages = new ArrayList<>();
        stages.add(new RecordStage<>(log));
        for (String key : List.of("quality", "guard_input", "guard_output", "embedding", "vector_search", "context")) {
            stages.add(pass(key));
        }
        stages.add(new Stage<QueryRequest, Answer>() {
            @Override
            public String name() {
                return "generate";
            }

            @Override
            public String timingKey() {
                return "inference";
            }

            @Override
            public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
                request.trail().context(context.equals("fresh") ? freshContext(ids.get()) : CONTEXT);
                if (keelTracing != null) {
                    Instant end = Instant.now();
                    keelTracing.recordModelCall(KeelTracing.OPERATION_CHAT, "openai", "gpt", "gpt-4o-mini", 812, 64,
                            end.minusMillis(900), end, "llm.internal", null);
                }
                return new Answer(request.id(), "Customer records are kept for seven years after the contract ends [1].",
                        "gpt", List.of(Citation.of(CONTEXT.getFirst())), new Usage(812, 64, 0.000160, false), null,
                        new Lineage("all-minilm-l6-v2-q@afdb6f1a0e45", "default@12", "gpt", "3", "rag-answer",
                                "1.0.0+53ff1eb1466c", "default@2026.11.1", null, null, Map.of("mode", "hybrid", "top_k", 5)));
            }
        });
        return new Pipeline<>(stages, observer);
    }

    private static Stage<QueryRequest, Answer> pass(String key) {
        return new Stage<QueryRequest, Answer>() {
            @Override
            public String name() {
                return key;
            }

            @Override
            public String timingKey() {
                return key;
            }

            @Override
            public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
                return chain.proceed(request);
            }
        };
    }

    private QueryRequest request() {
        return QueryRequest.start("req_" + ids.incrementAndGet(), "/v1/query",
                new Query("How long are customer records kept after the contract ends?", 5, RetrievalMode.HYBRID, Filters.NONE, "default"),
                new Caller("acme", "u-17", "support-bot", "answers"));
    }

    /** The pipeline alone: the baseline. */
    @Benchmark
    public Answer bare() {
        return bare.run(request());
    }

    /** The pipeline with the request span, stage spans, request log and metrics. */
    @Benchmark
    public Answer observed() {
        if (keelTracing == null) return observed.run(request());
        RequestSpan span = keelTracing.startRequest("/v1/query", "POST", null);
        try (var scope = span.makeCurrent()) {
            return observed.run(request());
        } finally {
            span.end(200, null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        database.close();
        metrics.close();
        if (keelTracing != null) keelTracing.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static List<SearchHit> freshContext(long n) {
        List<SearchHit> out = new ArrayList<>(CONTEXT.size());
        for (SearchHit h : CONTEXT) {
            out.add(new SearchHit(h.documentId(), h.chunkId(), h.score(), h.text() + " Revision " + n + ".", h.source(), h.title(),
                    h.headingPath(), h.metadata()));
        }
        return out;
    }

    private static List<SearchHit> context() {
        String words = "Customer records are kept for seven years after the contract ends and are then deleted by the "
                + "records team following the retention schedule that legal reviews every year with the data protection "
                + "officer who signs off on exceptions requested by business units in writing before any deviation ";
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String text = words + (i == 2 ? "Questions go to privacy.office@example.com. " : "") + words;
            hits.add(new SearchHit("policies/retention.md", "policies/retention.md#" + i, 0.03f - i * 0.001f, text,
                    "policies/retention.md", "Data retention", List.of("Retention"), Map.of()));
        }
        return hits;
    }
}
