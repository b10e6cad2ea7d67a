package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.InputGuardStage;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.RecordStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.VariantStage;
import io.keel.core.spi.RequestLog;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** The stages of a chat completion with a configured model, outermost first: the one place that lists them. */
public final class ChatRoute {
    private ChatRoute() {
    }

    /**
     * record → variant → input guard → output guard (streaming-aware) → spend → model call.
     *
     * @param versions the registry version serving a model name, or null when it has none (for lineage)
     */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, Guard guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             StageObserver observer) {
        return pipeline(model, versions, guard, spend, log, variants, null, observer);
    }

    /**
     * record → variant → input guard → output guard (streaming-aware) → route → spend → model call. The route stage
     * picks the model (or agent, or RAG collection) for requests addressed to a routed name and may call the stages
     * after it more than once (a cascade); each call is reserved and settled on its own.
     *
     * @param route the routing stage, or null for none
     */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, Guard guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             Stage<ChatExchange, ChatResult> route, StageObserver observer) {
        List<Stage<ChatExchange, ChatResult>> stages = new ArrayList<>(List.of(
                new RecordStage<>(log),
                new VariantStage<>(variants),
                new InputGuardStage<ChatExchange, ChatResult>(guard, (request, verdict) -> ChatResult.refused(request.id(),
                        request.chat().model(), verdict.text(), verdict.reason(), Lineage.EMPTY.withGenerator(
                                request.chat().model(), versions.apply(request.chat().model()), null, "none"))),
                new OutputGuardStage<>(guard)));
        if (route != null) stages.add(route);
        stages.add(new SpendStage(spend));
        stages.add(new ModelCallStage(model, versions));
        return new Pipeline<>(stages, observer);
    }
}
