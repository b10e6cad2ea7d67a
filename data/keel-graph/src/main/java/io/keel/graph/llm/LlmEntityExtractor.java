package io.keel.graph.llm;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ModelCallStage;
import io.keel.core.pipeline.chat.SpendStage;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import io.keel.core.text.Sha256;
import io.keel.graph.GraphSettings;
import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.PatternEntityExtractor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Entities and relations asked of a chat model, {@link GraphSettings.Llm#batch} chunks per call
 * ({@link ExtractionPrompt}), each answer kept in the {@link ExtractionCache} by chunk hash so that an unchanged chunk
 * is never asked about twice. Each call goes through the same stages as every model call (budgets reserved and
 * settled for the tenant of the chunks' documents, then the model) and is recorded in the request log as route
 * {@value #ROUTE}, app {@value #APP}, feature {@value #FEATURE}, with its priced usage. A chunk the answer does not
 * cover in the required form, or whose call failed (including a budget refusing it), is extracted by the pattern
 * extractor instead, with a warning, counted in {@link LlmExtractionStats#fallbacks}: extraction never fails an
 * ingestion. Thread-safe.
 */
public final class LlmEntityExtractor implements EntityExtractor {
    public static final String ROUTE = "graph:extract";
    public static final String APP = "keel";
    public static final String FEATURE = "graph-extraction";
    private static final Logger LOG = Logger.getLogger(LlmEntityExtractor.class.getName());
    /** Stands in {@link #ready} for a chunk whose answer is missing or malformed. */
    private static final Extraction FALL_BACK = new Extraction(List.of(), List.of());

    /** What every call needs, shared by the extractors of all collections. */
    record Calls(ChatModel model, UnaryOperator<String> versions, SpendControl spend, RequestLog log) {
        Calls {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(versions, "versions");
            Objects.requireNonNull(spend, "spend");
            Objects.requireNonNull(log, "log");
        }
    }

    private final Calls calls;
    private final Pipeline<ChatExchange, ChatResult> pipeline;
    private final ExtractionCache cache;
    private final GraphSettings.Llm settings;
    private final PatternEntityExtractor fallback;
    private final LlmExtractionStats stats;
    /** Extractions prepared and not yet asked for, by chunk hash. */
    private final Map<String, Extraction> ready = new ConcurrentHashMap<>();

    LlmEntityExtractor(Calls calls, ExtractionCache cache, GraphSettings.Llm settings, PatternEntityExtractor fallback,
                       LlmExtractionStats stats) {
        this.calls = calls;
        this.pipeline = new Pipeline<>(List.of(new SpendStage(calls.spend()), new ModelCallStage(calls.model(), calls.versions())));
        this.cache = Objects.requireNonNull(cache, "cache");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public int batchSize() {
        return settings.batch();
    }

    @Override
    public void prepare(String tenant, List<String> texts) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String t : texts) {
            String hash = hash(t);
            if (!ready.containsKey(hash)) wanted.put(hash, t);
        }
        if (wanted.isEmpty()) return;
        Map<String, String> cached = cache.get(wanted.keySet());
        List<Map.Entry<String, String>> ask = new ArrayList<>();
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String json = cached.get(w.getKey());
            Extraction e = json == null ? null : ExtractionPrompt.fromJson(json);
            if (e != null) {
                ready.put(w.getKey(), e);
                stats.chunksCached.incrementAndGet();
            } else {
                ask.add(w);
            }
        }
        for (int from = 0; from < ask.size(); from += settings.batch()) {
            ask(tenant, ask.subList(from, Math.min(ask.size(), from + settings.batch())));
        }
    }

    @Override
    public List<List<Surface>> extract(String text) {
        String hash = hash(text);
        if (!ready.containsKey(hash)) prepare(Caller.DEFAULT_TENANT, List.of(text));
        Extraction e = ready.remove(hash);
        if (e == null || e == FALL_BACK) {
            stats.fallbacks.incrementAndGet();
            return fallback.extract(text);
        }
        return e.groups();
    }

    /** One call for {@code batch} (hash, text); every chunk of it ends up in {@link #ready}, extracted or to fall back. */
    private void ask(String tenant, List<Map.Entry<String, String>> batch) {
        List<String> texts = batch.stream().map(Map.Entry::getValue).toList();
        ChatRequest request = ExtractionPrompt.request(settings.model(), texts, settings.maxTokens());
        Caller caller = new Caller(tenant, null, APP, FEATURE);
        String id = "graph-" + UUID.randomUUID();
        long start = System.nanoTime();
        ChatResult result;
        try {
            result = pipeline.run(ChatExchange.start(id, ROUTE, caller, request, false));
        } catch (RuntimeException e) {
            String status = e instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
            record(RequestRecord.builder(id, ROUTE).caller(caller).failed(status, e.getMessage()).timings(total(start)));
            LOG.warning("graph.extractor llm: the call for " + batch.size() + " chunks failed (" + e.getMessage()
                    + "); the pattern extractor extracts them instead");
            batch.forEach(b -> ready.put(b.getKey(), FALL_BACK));
            return;
        }
        stats.calls.incrementAndGet();
        stats.chunksAsked.addAndGet(batch.size());
        Map<Integer, Extraction> parsed;
        String problem = null;
        try {
            parsed = ExtractionPrompt.parse(result.response().content(), batch.size());
        } catch (IllegalArgumentException e) {
            parsed = Map.of();
            problem = e.getMessage();
        }
        Map<String, String> keep = new LinkedHashMap<>();
        int entities = 0;
        int relations = 0;
        for (int i = 0; i < batch.size(); i++) {
            Extraction e = parsed.get(i);
            String hash = batch.get(i).getKey();
            ready.put(hash, e == null ? FALL_BACK : e);
            if (e == null) continue;
            keep.put(hash, ExtractionPrompt.toJson(e));
            entities += e.entities().size();
            relations += e.relations().size();
        }
        cache.put(keep);
        int missed = batch.size() - keep.size();
        if (missed > 0) {
            LOG.warning("graph.extractor llm: model '" + settings.model() + "' answered " + missed + " of " + batch.size()
                    + " chunks in no usable form" + (problem == null ? "" : " (" + problem + ")")
                    + "; the pattern extractor extracts them instead");
        }
        String summary = batch.size() + " chunks: " + entities + " entities, " + relations + " relations"
                + (missed > 0 ? ", " + missed + " fell back to the pattern extractor" : "");
        record(RequestRecord.builder(id, ROUTE).caller(caller).usage(result.usage()).answer(summary)
                .lineage(result.lineage().withGenerator(result.lineage().generator(), result.lineage().modelVersion(),
                        ExtractionPrompt.ID, ExtractionPrompt.VERSION))
                .timings(total(start)));
    }

    private void record(RequestRecord.Builder b) {
        try {
            calls.log().record(b.build());
        } catch (RuntimeException ignored) {
            // the log must not fail an ingestion
        }
    }

    private static Timings total(long start) {
        long nanos = System.nanoTime() - start;
        return new Timings(Map.of(Timings.TOTAL, nanos, Timings.INFERENCE, nanos));
    }

    /** The cache key of {@code text}: the model and the prompt's version are part of it. */
    String hash(String text) {
        return Sha256.hex(settings.model() + "\u0000" + ExtractionPrompt.ID + "@" + ExtractionPrompt.VERSION + "\u0000" + text);
    }
}
