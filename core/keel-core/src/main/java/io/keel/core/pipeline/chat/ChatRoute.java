package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardSelector;
import io.keel.core.pipeline.InputGuardStage;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.ShadowStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.spi.RequestLog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The stages of a chat completion with a configured model, outermost first: the one place that lists them. */
public final class ChatRoute {
    private ChatRoute() {
    }

    /**
     * The route with one guard for every caller and no routing stage.
     *
     * @param versions the registry version serving a model name, or null when it has none (for lineage)
     */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, Guard guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             StageObserver observer) {
        return pipeline(model, versions, GuardSelector.of(guard), spend, log, variants, null, observer);
    }

    /** The route with one guard for every caller and a routing stage (or null for none). */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, Guard guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             Stage<ChatExchange, ChatResult> route, StageObserver observer) {
        return pipeline(model, versions, GuardSelector.of(guard), spend, log, variants, route, observer);
    }

    /**
     * record → variant → shadow (when experiments run) → generation overrides → input guard → output guard
     * (streaming-aware) → route → spend → model call. The guard is chosen per caller (its tenant's policy, or the
     * server's). The route stage picks the model (or agent, or RAG collection) for requests addressed to a routed name
     * and may call the stages after it more than once (a cascade); each call is reserved and settled on its own.
     *
     * @param versions the registry version serving a model name, or null when it has none (for lineage)
     * @param route    the routing stage, or null for none
     */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, GuardSelector guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             Stage<ChatExchange, ChatResult> route, StageObserver observer) {
        List<Stage<ChatExchange, ChatResult>> rest = new ArrayList<>(List.of(
                new ChatOverrideStage(),
                new InputGuardStage<ChatExchange, ChatResult>(guard, (request, verdict) -> ChatResult.refused(request.id(),
                        request.chat().model(), verdict.text(), verdict.reason(), Lineage.EMPTY.withGenerator(
                                request.chat().model(), versions.apply(request.chat().model()), null, "none"))),
                new OutputGuardStage<>(guard)));
        if (route != null) rest.add(route);
        rest.add(new SpendStage(spend));
        rest.add(new ModelCallStage(model, versions));
        return new Pipeline<>(ShadowStage.front(log, variants, rest, observer), observer);
    }
}
