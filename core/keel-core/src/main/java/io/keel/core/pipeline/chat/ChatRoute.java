package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardSelector;
import io.keel.core.pipeline.InputGuardStage;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.RecordStage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.VariantStage;
import io.keel.core.spi.RequestLog;

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
        return pipeline(model, versions, GuardSelector.of(guard), spend, log, variants, observer);
    }

    /** As above, with the guard chosen per caller (its tenant's policy, or the server's). */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, GuardSelector guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             StageObserver observer) {
        return new Pipeline<>(List.of(
                new RecordStage<>(log),
                new VariantStage<>(variants),
                new InputGuardStage<ChatExchange, ChatResult>(guard, (request, verdict) -> ChatResult.refused(request.id(),
                        request.chat().model(), verdict.text(), verdict.reason(), Lineage.EMPTY.withGenerator(
                                request.chat().model(), versions.apply(request.chat().model()), null, "none"))),
                new OutputGuardStage<>(guard),
                new SpendStage(spend),
                new ModelCallStage(model, versions)), observer);
    }
}
