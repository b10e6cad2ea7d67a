package io.keel.app.replay;

import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.budget.SpendControl;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.guard.Direction;
import io.keel.core.guard.GuardVerdict;
import io.keel.core.query.Filters;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.guard.PolicyGuard;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelConfig;
import io.keel.model.ModelGateway;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptFile;
import io.keel.prompts.PromptFolder;
import io.keel.prompts.PromptStore;
import io.keel.prompts.PromptVersion;
import io.keel.quality.Groundedness;
import io.keel.rag.ChatGenerator;
import io.keel.registry.ModelVersion;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Re-runs logged requests against a candidate model and/or prompt and compares the answers with the originals: cost,
 * tokens, latency, groundedness, output-guard hits and answer similarity, per request and in aggregate.
 * <p>
 * The context of each original is frozen in the request log; by default the candidate answers from exactly those
 * chunks, so only the generation differs. With {@link ReplaySpec#reRetrieve()} the (logged, redacted) question is
 * searched again with the original's collection, mode and top-k. A candidate call that fails becomes an error row;
 * the run goes on. Budgets do not apply to replays (they are not traffic), and replays are not written to the log.
 *
 * <p>Longer than most classes on purpose: replaying one request (frozen or searched-again context, candidate model and
 * prompt) and summing the comparison share the run's state; rows, summary and gate are types of their own.
 */
public final class Replayer {
    /** Answers whose similarity to the original is below this changed materially. */
    public static final double CHANGED_BELOW = 0.8;
    /** The most log records one replay looks at while selecting requests. */
    static final int MAX_SCANNED = 100_000;
    private static final Logger LOG = Logger.getLogger(Replayer.class.getName());
    private static final String CHAT_ROUTE = "/v1/chat/completions";
    private static final int MAX_ANSWER_CHARS = 4000;

    private final Keel keel;
    private final Groundedness groundedness;
    private final Function<String, String> env;

    public Replayer(Keel keel) {
        this(keel, System::getenv);
    }

    /** @param env environment lookup for the candidate models' API keys */
    public Replayer(Keel keel, Function<String, String> env) {
        this.keel = Objects.requireNonNull(keel, "keel");
        this.env = Objects.requireNonNull(env, "env");
        this.groundedness = new Groundedness(keel.embedder(), keel.config().quality());
    }

    /**
     * Replays the requests {@code spec} selects. Not stored: see {@link EvaluationStore#save}.
     *
     * @throws KeelException (invalid request) when the candidate cannot be resolved or the request log is disabled
     */
    public EvaluationRun run(ReplaySpec spec) {
        return run(spec, Progress.NONE);
    }

    /** Told after each replayed request, e.g. to show progress on a long run. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total, row) -> {
        };

        void replayed(int done, int total, ReplayRow row);
    }

    /** As {@link #run(ReplaySpec)}, telling {@code progress} after each request. */
    public EvaluationRun run(ReplaySpec spec, Progress progress) {
        RequestStore store = keel.requests().orElseThrow(() -> KeelException.invalid(
                "the request log is disabled (request_log.enabled: false); there is nothing to replay"));
        Set<String> notes = new LinkedHashSet<>();
        Map<String, Integer> skipped = new TreeMap<>();
        List<RequestRecord> selected = select(store, spec, skipped);
        List<ReplayRow> rows = new ArrayList<>();
        try (Candidates candidates = new Candidates(spec, notes)) {
            for (RequestRecord r : selected) {
                ReplayRow row = replay(r, spec, candidates);
                rows.add(row);
                progress.replayed(rows.size(), selected.size(), row);
            }
        }
        if (keel.guard().isEmpty()) notes.add("no guard is configured (guard.enabled: false): guard hits are not measured");
        else notes.add("original answers are read from the redacted log, so their guard hits undercount PII the guard had already removed");
        if (spec.reRetrieve()) notes.add("re-retrieval searches with the logged (redacted) question and without the original's filter values");
        ReplaySummary summary = summarize(rows, skipped, List.copyOf(notes));
        return new EvaluationRun(EvaluationRun.newId(), Instant.now().truncatedTo(ChronoUnit.MILLIS), spec, summary, rows, null);
    }

    // ---- selection ------------------------------------------------------------------------------------------------------

    /** The newest {@code spec.limit()} replayable records of the window, returned oldest first. */
    private static List<RequestRecord> select(RequestStore store, ReplaySpec spec, Map<String, Integer> skipped) {
        List<RequestRecord> out = new ArrayList<>();
        String before = null;
        int scanned = 0;
        while (out.size() < spec.limit() && scanned < MAX_SCANNED) {
            List<RequestRecord> page = store.find(new RequestFilter(spec.tenant(), null, null, null, null, null, null, null, null, null,
                    spec.from(), spec.to(), before, RequestFilter.MAX_LIMIT));
            for (RequestRecord r : page) {
                if (out.size() >= spec.limit()) break;
                if (!spec.routes().contains(r.route())) continue;
                String reason = skipReason(r, spec);
                if (reason == null) out.add(r);
                else skipped.merge(reason, 1, Integer::sum);
            }
            scanned += page.size();
            if (page.size() < RequestFilter.MAX_LIMIT) break;
            before = page.getLast().id();
        }
        Collections.reverse(out);
        return out;
    }

    private static String skipReason(RequestRecord r, ReplaySpec spec) {
        if (!r.ok()) return "not_ok";
        if (r.question() == null || r.question().isBlank()) return "no_question";
        if (r.context().isEmpty() && CHAT_ROUTE.equals(r.route())) return "not_rag";
        if (r.context().isEmpty() && !spec.reRetrieve()) return "no_context";
        if (spec.model() == null && (r.lineage() == null || r.lineage().generator() == null || "extractive".equals(r.lineage().generator()))) {
            return "extractive_original";
        }
        return null;
    }

    // ---- one request ----------------------------------------------------------------------------------------------------

    private ReplayRow replay(RequestRecord r, ReplaySpec spec, Candidates candidates) {
        List<SearchHit> frozen = r.context().stream().map(Replayer::hit).toList();
        ReplayRow.Side original = originalSide(r, frozen);
        List<SearchHit> hits = frozen;
        try {
            double retrievalMs = 0;
            if (spec.reRetrieve()) {
                long t0 = System.nanoTime();
                hits = reRetrieve(r);
                retrievalMs = (System.nanoTime() - t0) / 1e6;
            }
            Target target = candidates.target(r);
            long t0 = System.nanoTime();
            Generation g = target.generator().generate(new GenerationRequest(r.question(), null, hits, r.caller()));
            double generationMs = (System.nanoTime() - t0) / 1e6;
            Timings t = r.timings();
            double carried = totalMs(t) - t.millisOf(Timings.INFERENCE)
                    - (spec.reRetrieve() ? t.millisOf(Timings.EMBEDDING) + t.millisOf(Timings.VECTOR_SEARCH) : 0);
            double latencyMs = Math.max(0, carried) + retrievalMs + generationMs;
            String text = g.text() == null ? "" : g.text();
            GuardCheck guard = guard(text);
            String model = g.modelVersion() == null ? target.model() : g.generator() + "@" + g.modelVersion();
            String prompt = g.promptId() == null ? target.prompt() : g.promptId() + "@" + g.promptVersion();
            ReplayRow.Side candidate = new ReplayRow.Side(model, prompt, clip(guard.stored()), g.usage().costUsd(),
                    g.usage().promptTokens(), g.usage().completionTokens(), latencyMs, generationMs,
                    groundedness.assess(text, hits).groundedness(), guard.hits());
            Double similarity = similarity(r.answer(), text);
            return new ReplayRow(r.id(), r.time().toString(), r.route(), r.question(), "ok", null, hits.size(), original, candidate,
                    similarity, similarity != null && similarity < CHANGED_BELOW);
        } catch (RuntimeException e) {
            LOG.fine(() -> "replay of " + r.id() + " failed: " + e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new ReplayRow(r.id(), r.time().toString(), r.route(), r.question(), "error", message, hits.size(), original, null,
                    null, false);
        }
    }

    private ReplayRow.Side originalSide(RequestRecord r, List<SearchHit> context) {
        Lineage l = r.lineage();
        String prompt = l == null || l.promptId() == null ? null : l.promptId() + "@" + l.promptVersion();
        String answer = r.answer() == null ? "" : r.answer();
        return new ReplayRow.Side(l == null ? null : l.modelRef(), prompt, clip(answer), r.usage().costUsd(), r.usage().promptTokens(),
                r.usage().completionTokens(), totalMs(r.timings()), r.timings().millisOf(Timings.INFERENCE),
                groundedness.assess(answer, context).groundedness(), guard(answer).hits());
    }

    /**
     * The original's end-to-end time: its {@code total} when the log has one, else the sum of its stages (the request
     * log is written by the outermost stage, before the pipeline adds the total).
     */
    static double totalMs(Timings t) {
        if (t.nanosOf(Timings.TOTAL) > 0) return t.millisOf(Timings.TOTAL);
        long sum = 0;
        for (Map.Entry<String, Long> e : t.nanos().entrySet()) {
            if (!Timings.TOTAL.equals(e.getKey())) sum += e.getValue();
        }
        return sum / 1_000_000.0;
    }

    static SearchHit hit(RequestRecord.ContextChunk c) {
        return new SearchHit(c.documentId(), c.chunkId(), (float) c.score(), c.text() == null ? "" : c.text(), c.documentId(), null,
                List.of(), Map.of());
    }

    /** The original's search again: same collection, mode and top-k, the configured context budget. */
    private List<SearchHit> reRetrieve(RequestRecord r) {
        Lineage l = r.lineage();
        String collection = null;
        Integer topK = null;
        RetrievalMode mode = null;
        if (l != null) {
            if (l.indexVersion() != null) {
                int at = l.indexVersion().lastIndexOf('@');
                collection = at < 0 ? l.indexVersion() : l.indexVersion().substring(0, at);
            }
            if (l.retrieval().get("top_k") instanceof Number n) topK = n.intValue();
            if (l.retrieval().get("mode") instanceof String s) mode = RetrievalMode.parse(s);
        }
        Retrieval found = keel.search(new QueryInput(r.question(), topK, mode, Filters.NONE, collection));
        return budget(found.hits(), keel.config().retrieval().contextChars());
    }

    /** What the pipeline's context stage does: best first, duplicate texts dropped, within a character budget. */
    static List<SearchHit> budget(List<SearchHit> hits, int maxChars) {
        List<SearchHit> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int used = 0;
        for (SearchHit h : hits) {
            if (!seen.add(h.text().strip())) continue;
            if (used + h.text().length() > maxChars && !out.isEmpty()) break;
            out.add(h);
            used += h.text().length();
        }
        return out;
    }

    private record GuardCheck(String stored, Integer hits) {
    }

    /** The output guard's findings on {@code text}, and the text as it may be stored (redacted, or a refusal marker). */
    private GuardCheck guard(String text) {
        Optional<PolicyGuard> guard = keel.guard();
        if (guard.isEmpty() || text.isBlank()) return new GuardCheck(text, guard.isEmpty() ? null : 0);
        GuardVerdict v = guard.get().inspect(text, Direction.OUTPUT);
        String stored = switch (v.decision()) {
            case ALLOW -> text;
            case REDACT -> v.text();
            case BLOCK -> "[blocked by the output guard" + (v.reason() == null ? "" : ": " + v.reason()) + "]";
        };
        return new GuardCheck(stored, v.findings().size());
    }

    private Double similarity(String a, String b) {
        if (a == null || a.isBlank() || b == null || b.isBlank()) return null;
        Embedder e = keel.embedder();
        float[] x = e.embedQuery(a);
        float[] y = e.embedQuery(b);
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        if (nx == 0 || ny == 0) return null;
        return Math.max(-1, Math.min(1, dot / Math.sqrt(nx * ny)));
    }

    private static String clip(String s) {
        return s == null || s.length() <= MAX_ANSWER_CHARS ? s : s.substring(0, MAX_ANSWER_CHARS) + "…";
    }

    // ---- the candidate --------------------------------------------------------------------------------------------------

    /** A generator for one request, with the names of the model and prompt it uses. */
    private record Target(ChatGenerator generator, String model, String prompt) {
    }

    /**
     * Resolves the candidate: a named model version and/or prompt up front (so a typo fails before anything runs), or
     * for each request the model and prompt that answered it. Owns the gateways it builds.
     */
    private final class Candidates implements AutoCloseable {
        private final ModelVersion fixedModel;
        private final PromptFile fixedPrompt;
        private final Set<String> notes;
        private final Map<String, ModelGateway> gateways = new HashMap<>();
        private final Map<String, PromptFile> originalPrompts = new HashMap<>();
        private final Map<String, Target> targets = new HashMap<>();
        private PromptStore promptStore;

        Candidates(ReplaySpec spec, Set<String> notes) {
            this.notes = notes;
            this.fixedModel = spec.model() == null ? null : namedModel(spec.model(), spec.modelVersion());
            this.fixedPrompt = spec.promptId() == null ? null : namedPrompt(spec.promptId(), spec.promptRef());
            if (fixedModel != null) gateway(fixedModel);
        }

        Target target(RequestRecord r) {
            ModelVersion model = fixedModel != null ? fixedModel : originalModel(r);
            PromptFile prompt = fixedPrompt != null ? fixedPrompt : originalPrompt(r);
            String key = model.ref() + " " + prompt.version();
            Target t = targets.get(key);
            if (t == null) {
                ChatGenerator g = new ChatGenerator(gateway(model), model.model(), prompt, keel.config().generator().maxTokens(),
                        keel.config().generator().temperature(), SpendControl.NONE);
                t = new Target(g, model.ref(), prompt.version().toString());
                targets.put(key, t);
            }
            return t;
        }

        private ModelGateway gateway(ModelVersion v) {
            ModelGateway g = gateways.get(v.ref());
            if (g == null) {
                g = ModelGateway.of(List.of(new ModelGateway.Versioned(ModelConfig.from("registry " + v.ref(), v.config()),
                        String.valueOf(v.version()))), env, ModelCallListener.NONE);
                gateways.put(v.ref(), g);
            }
            return g;
        }

        private ModelVersion namedModel(String name, Integer version) {
            try {
                if (version != null) return keel.registry().version(name, version);
                return keel.registry().resolve(name).orElseThrow(() -> KeelException.invalid(
                        "the model registry has no servable version of '" + name + "'"));
            } catch (KeelException e) {
                if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.INVALID_REQUEST) {
                    throw KeelException.invalid("candidate model '" + name + (version == null ? "" : "@" + version) + "': " + e.getMessage());
                }
                throw e;
            }
        }

        private ModelVersion originalModel(RequestRecord r) {
            Lineage l = r.lineage();
            String name = l.generator();
            if (l.modelVersion() != null) {
                try {
                    return keel.registry().version(name, Integer.parseInt(l.modelVersion()));
                } catch (NumberFormatException | KeelException e) {
                    notes.add("the original model " + l.modelRef() + " is not in the registry; its currently served version was used");
                }
            }
            return keel.registry().resolve(name).orElseThrow(() -> KeelException.invalid("the original model '" + name
                    + "' is not in the model registry; name a candidate with --candidate model=NAME@VERSION"));
        }

        private PromptFile namedPrompt(String id, String ref) {
            Optional<PromptFile> p = findPrompt(id, ref);
            if (p.isPresent()) return ChatGenerator.checked(p.get());
            String local;
            try {
                local = " and the prompts folder (or the built-in copy) has " + PromptFolder.orBuiltin(keel.config().prompts().dir(), id).version();
            } catch (RuntimeException e) {
                local = " and neither the prompts folder nor Keel's built-in prompts have '" + id + "'";
            }
            throw KeelException.invalid("candidate prompt '" + id + "@" + ref + "': the prompt store has no such version or label" + local
                    + "; push it with: keel prompts push");
        }

        private PromptFile originalPrompt(RequestRecord r) {
            Lineage l = r.lineage();
            String id = l == null ? null : l.promptId();
            String ref = l == null ? null : l.promptVersion();
            String key = id == null || ref == null || "none".equals(ref) ? "" : id + "@" + ref;
            PromptFile p = originalPrompts.get(key);
            if (p != null) return p;
            Optional<PromptFile> found = key.isEmpty() ? Optional.empty() : findPrompt(id, ref);
            if (found.isPresent()) {
                p = ChatGenerator.checked(found.get());
            } else {
                p = ChatGenerator.checked(PromptFolder.orBuiltin(keel.config().prompts().dir(), BuiltinPrompts.RAG_ANSWER));
                notes.add((key.isEmpty() ? "some originals record no prompt" : "the original prompt " + key + " could not be found")
                        + "; the current " + p.version() + " was used");
            }
            originalPrompts.put(key, p);
            return p;
        }

        /** {@code id@ref} from the prompt store, else from the folder or the built-in copy when that version is the one asked. */
        private Optional<PromptFile> findPrompt(String id, String ref) {
            try {
                if (promptStore == null) promptStore = new PromptStore(keel.database());
                return Optional.of(promptStore.resolve(id, ref).prompt());
            } catch (KeelException e) {
                if (e.code() != ErrorCode.NOT_FOUND && e.code() != ErrorCode.INVALID_REQUEST) throw e;
            }
            try {
                PromptFile local = PromptFolder.orBuiltin(keel.config().prompts().dir(), id);
                return matches(local.version(), ref) ? Optional.of(local) : Optional.empty();
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        private static boolean matches(PromptVersion v, String ref) {
            return ref.equals(v.ref()) || ref.equals(v.hash()) || ref.equals(v.semver()) || ref.equals(v.toString())
                    || (ref.length() >= 4 && v.hash().startsWith(ref));
        }

        @Override
        public void close() {
            gateways.values().forEach(g -> {
                try {
                    g.close();
                } catch (RuntimeException e) {
                    LOG.fine(() -> "closing a candidate gateway: " + e);
                }
            });
        }
    }

    // ---- the aggregate --------------------------------------------------------------------------------------------------

    static ReplaySummary summarize(List<ReplayRow> rows, Map<String, Integer> skipped, List<String> notes) {
        List<ReplayRow> ok = rows.stream().filter(ReplayRow::ok).toList();
        boolean guarded = ok.stream().anyMatch(r -> r.original().guardHits() != null && r.candidate().guardHits() != null);
        ReplaySummary.Totals original = totals(ok, ReplayRow::original, guarded);
        ReplaySummary.Totals candidate = totals(ok, ReplayRow::candidate, guarded);
        List<ReplayRow> bothGrounded = ok.stream()
                .filter(r -> r.original().groundedness() != null && r.candidate().groundedness() != null).toList();
        Double groundednessDelta = bothGrounded.isEmpty() ? null
                : mean(bothGrounded.stream().map(r -> r.candidate().groundedness() - r.original().groundedness()).toList());
        ReplaySummary.Deltas deltas = new ReplaySummary.Deltas(
                pct(original.costUsd(), candidate.costUsd()),
                pct(original.meanLatencyMs(), candidate.meanLatencyMs()),
                pct(original.totalTokens(), candidate.totalTokens()),
                groundednessDelta,
                guarded ? candidate.guardHits() - original.guardHits() : null);
        List<Double> sims = ok.stream().map(ReplayRow::similarity).filter(Objects::nonNull).toList();
        Double changed = sims.isEmpty() ? null : (double) sims.stream().filter(s -> s < CHANGED_BELOW).count() / sims.size();
        int errors = rows.size() - ok.size();
        return new ReplaySummary(rows.size(), ok.size(), errors, skipped, rows.isEmpty() ? 0 : (double) errors / rows.size(),
                original, candidate, deltas, mean(sims), changed, notes);
    }

    private static ReplaySummary.Totals totals(List<ReplayRow> rows, Function<ReplayRow, ReplayRow.Side> side, boolean guarded) {
        double cost = 0;
        long prompt = 0;
        long completion = 0;
        double latency = 0;
        long hits = 0;
        List<Double> grounded = new ArrayList<>();
        for (ReplayRow r : rows) {
            ReplayRow.Side s = side.apply(r);
            cost += s.costUsd();
            prompt += s.promptTokens();
            completion += s.completionTokens();
            latency += s.latencyMs();
            if (s.guardHits() != null) hits += s.guardHits();
            if (s.groundedness() != null) grounded.add(s.groundedness());
        }
        return new ReplaySummary.Totals(cost, prompt, completion, rows.isEmpty() ? 0 : latency / rows.size(), mean(grounded),
                guarded ? hits : null);
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Relative change in percent; null when the original is zero and the candidate is not. */
    static Double pct(double original, double candidate) {
        if (original == 0) return candidate == 0 ? 0.0 : null;
        return (candidate - original) / original * 100;
    }
}
