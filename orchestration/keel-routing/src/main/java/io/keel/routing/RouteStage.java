package io.keel.routing;

import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ForwardingStreamListener;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.NamedStage;
import io.keel.core.pipeline.ResponseStream;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.spi.Embedder;
import io.keel.model.TokenEstimator;
import io.keel.routing.intent.IntentPrediction;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The chat route's route stage (after the guards, before spend and the model call): for a request addressed to a
 * name its routing table routes ({@code model: "auto"}), it evaluates the table's rules in order and sends the request
 * to the first matching rule's target, a model, an agent or a RAG collection, or through its cascade. The routing
 * table is the one the request's experiment variant names ({@value Routing#OVERRIDE}), else the default. The rule and
 * the reason are stamped on lineage, so the request log and the metrics carry them.
 *
 * <p>The question is embedded only when an intent rule is reached, once per request, and the vector is kept on the
 * request's trail for any later stage. A cascade calls the stages after this one twice (cheap, then strong), so each
 * call is reserved against the caller's budgets and settled with its own usage; the request's recorded usage is the
 * sum of every call made for it (cheap answer, verifier, strong answer).
 */
public final class RouteStage extends NamedStage<ChatExchange, ChatResult> {
    /** The timing key of the stage's own time (rules, classification, the question's embedding). */
    public static final String TIMING_KEY = "route";
    private static final Set<ErrorCode> ESCALATE_ON = Set.of(ErrorCode.UPSTREAM_ERROR, ErrorCode.UNAVAILABLE,
            ErrorCode.TIMEOUT, ErrorCode.RATE_LIMITED);

    private final Routing routing;
    private final Embedder embedder;
    private final TokenEstimator tokens;
    private final Map<RouteTarget.Kind, TargetHandler> handlers;

    /**
     * @param embedder embeds the question for intent rules; may be null when no table has intent rules
     * @param handlers serve agent and RAG targets; a target of a kind without a handler fails the request (422)
     */
    public RouteStage(Routing routing, Embedder embedder, Map<RouteTarget.Kind, TargetHandler> handlers) {
        super("route", TIMING_KEY);
        this.routing = Objects.requireNonNull(routing, "routing");
        this.embedder = embedder;
        this.tokens = TokenEstimator.named("cl100k_base");
        this.handlers = handlers.isEmpty() ? Map.of() : new EnumMap<>(handlers);
    }

    @Override
    public ChatResult handle(ChatExchange request, Chain<ChatExchange, ChatResult> chain) {
        RoutingTable table = routing.table(request.trail().variant());
        if (table == null || !table.routes(request.chat().model())) return chain.proceed(request);
        RouteFacts facts = new RouteFacts(request.caller(), tokens.promptTokens(request.chat()), costTier(request.chat()),
                () -> intent(table, request));
        RouteDecision decision = table.decide(facts);
        String reason = decision.reason();
        ChatResult result;
        if (decision.cascade() != null) {
            CascadeRun run = new CascadeRun(request, decision.cascade(), chain);
            result = run.result();
            reason = reason + "; " + run.note();
        } else {
            result = serve(request, decision.target(), chain);
        }
        return result.withLineage(result.lineageOrEmpty().withRoute(table.name() + "/" + decision.rule(), reason));
    }

    private IntentPrediction intent(RoutingTable table, ChatExchange request) {
        String text = request.guardedText();
        if (text == null || text.isBlank() || table.intents() == null) return IntentPrediction.NONE;
        float[] vector = request.trail().embedding(text);
        if (vector == null) {
            if (embedder == null) throw new KeelException(ErrorCode.INTERNAL, "routing table " + table.name() + " has intent rules but no embedder is configured");
            vector = embedder.embedQuery(text);
            request.trail().embedding(text, vector);
        }
        return table.intents().classify(vector);
    }

    /** The cost tier the request declared in {@code metadata.cost_tier} (OpenAI's free-form request metadata), or null. */
    static String costTier(ChatRequest chat) {
        if (chat.extra().get("metadata") instanceof Map<?, ?> meta && meta.get("cost_tier") != null) {
            return String.valueOf(meta.get("cost_tier")).strip().toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private ChatResult serve(ChatExchange request, RouteTarget target, Chain<ChatExchange, ChatResult> chain) {
        if (target.kind() == RouteTarget.Kind.MODEL) return chain.proceed(retarget(request, target.name(), request.stream()));
        TargetHandler handler = handlers.get(target.kind());
        if (handler == null) {
            throw new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "the routing table sent this request to " + target
                    + ", but no " + target.kind().name().toLowerCase(Locale.ROOT) + " targets are served by this instance");
        }
        return handler.serve(retarget(request, target.modelName(), request.stream()), target);
    }

    private static ChatExchange retarget(ChatExchange r, String model, boolean stream) {
        return new ChatExchange(r.id(), r.route(), r.received(), r.caller(), r.timings(), r.trail(), r.chat().withModel(model), stream);
    }

    private static Usage plus(Usage a, Usage b) {
        if (a == null || a.equals(Usage.ZERO)) return b;
        if (b == null) return a;
        return new Usage(a.promptTokens() + b.promptTokens(), a.completionTokens() + b.completionTokens(),
                a.cachedPromptTokens() + b.cachedPromptTokens(), a.costUsd() + b.costUsd(), a.estimated() || b.estimated());
    }

    /** One cascade: the cheap model's whole answer, its score, and the strong model when the score is too low. */
    private static final class CascadeRun {
        private final ChatResult result;
        private final String note;
        private Usage spent = Usage.ZERO;

        CascadeRun(ChatExchange request, Cascade cascade, Chain<ChatExchange, ChatResult> chain) {
            ChatExchange cheap = retarget(request, cascade.cheap().name(), false);
            ChatResult first;
            try {
                first = chain.proceed(cheap);
            } catch (KeelException e) {
                if (!ESCALATE_ON.contains(e.code())) throw e;
                result = strong(request, cascade, chain);
                note = "cascade: " + cascade.cheap() + " failed (" + e.code().wireName() + "), escalated to " + cascade.strong();
                return;
            }
            ChatResponse answer = first.response();
            spent = plus(spent, first.usage());
            double score = cascade.signal().score(cheap, answer, ask -> {
                ChatResult r = chain.proceed(new ChatExchange(request.id(), request.route(), request.received(), request.caller(),
                        request.timings(), request.trail(), ask, false));
                spent = plus(spent, r.usage());
                return r.response();
            });
            String scored = String.format(Locale.ROOT, "%s %.2f", cascade.signal().name(), score);
            if (score >= cascade.threshold()) {
                note = String.format(Locale.ROOT, "cascade: %s >= %.2f, kept %s", scored, cascade.threshold(), cascade.cheap());
                ChatResponse whole = answer.withUsage(spent);
                result = request.stream() ? ChatResult.streaming(first.id(), replay(whole), first.lineage())
                        : new ChatResult(first.id(), whole, null, null, first.lineage(), first.refusal());
            } else {
                note = String.format(Locale.ROOT, "cascade: %s < %.2f, escalated to %s", scored, cascade.threshold(), cascade.strong());
                result = strong(request, cascade, chain);
            }
        }

        private ChatResult strong(ChatExchange request, Cascade cascade, Chain<ChatExchange, ChatResult> chain) {
            ChatResult second = chain.proceed(retarget(request, cascade.strong().name(), request.stream()));
            Usage before = spent;
            if (before.equals(Usage.ZERO)) return second;
            if (second.stream() != null) {
                return second.withStream(second.stream().through(next -> new ForwardingStreamListener(next) {
                    @Override
                    public void onComplete(ChatResponse response) {
                        next.onComplete(response.withUsage(plus(before, response.usage())));
                    }
                }));
            }
            if (second.response() == null) return second;
            return new ChatResult(second.id(), second.response().withUsage(plus(before, second.usage())), null, null,
                    second.lineage(), second.refusal());
        }

        /** A kept cheap answer to a streamed request: delivered as one piece once it was judged. */
        private static ResponseStream replay(ChatResponse whole) {
            return listener -> {
                if (!whole.content().isEmpty()) listener.onToken(whole.content());
                listener.onComplete(whole);
            };
        }

        ChatResult result() {
            return result;
        }

        String note() {
            return note;
        }
    }
}
