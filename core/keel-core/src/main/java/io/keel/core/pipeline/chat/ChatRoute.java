package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.InputGuardStage;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.ShadowStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.spi.RequestLog;

import java.util.List;
import java.util.function.UnaryOperator;

/** The stages of a chat completion with a configured model, outermost first: the one place that lists them. */
public final class ChatRoute {
    private ChatRoute() {
    }

    /**
     * record → variant → shadow (when experiments run) → generation overrides → input guard → output guard (streaming-aware) → spend → model call.
     *
     * @param versions the registry version serving a model name, or null when it has none (for lineage)
     */
    public static Pipeline<ChatExchange, ChatResult> pipeline(ChatModel model, UnaryOperator<String> versions, Guard guard,
                                                             SpendControl spend, RequestLog log, VariantResolver variants,
                                                             StageObserver observer) {
        return new Pipeline<>(ShadowStage.front(log, variants, List.<Stage<ChatExchange, ChatResult>>of(
                new ChatOverrideStage(),
                new InputGuardStage<ChatExchange, ChatResult>(guard, (request, verdict) -> ChatResult.refused(request.id(),
                        request.chat().model(), verdict.text(), verdict.reason(), Lineage.EMPTY.withGenerator(
                                request.chat().model(), versions.apply(request.chat().model()), null, "none"))),
                new OutputGuardStage<>(guard),
                new SpendStage(spend),
                new ModelCallStage(model, versions)), observer), observer);
    }
}
