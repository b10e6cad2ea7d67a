package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ForwardingStreamListener;
import io.keel.core.chat.StreamListener;
import io.keel.core.pipeline.NamedStage;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The last stage of a model call: sends the request to the chat model (usually the model gateway, with its replicas,
 * retries and fallback) and stamps the model and its registry version on the lineage. A streamed request answers with
 * a stream that calls the model when the route handler starts it; its time is booked as inference when it ends.
 */
public final class ModelCallStage extends NamedStage<ChatExchange, ChatResult> {
    private final ChatModel model;
    private final UnaryOperator<String> versions;

    /** @param versions the registry version serving a model name, or null when it has none */
    public ModelCallStage(ChatModel model, UnaryOperator<String> versions) {
        super("model", Timings.INFERENCE);
        this.model = Objects.requireNonNull(model, "model");
        this.versions = Objects.requireNonNull(versions, "versions");
    }

    @Override
    public ChatResult handle(ChatExchange request, Chain<ChatExchange, ChatResult> chain) {
        if (request.stream()) {
            return ChatResult.streaming(request.id(), listener -> {
                long start = System.nanoTime();
                model.stream(request.chat(), new Timed(listener, () -> request.timings().add(Timings.INFERENCE, System.nanoTime() - start)));
            }, lineage(request.chat().model()));
        }
        ChatResponse r = model.chat(request.chat());
        return ChatResult.of(request.id(), r, lineage(r.model() == null ? request.chat().model() : r.model()));
    }

    private Lineage lineage(String modelName) {
        return Lineage.EMPTY.withGenerator(modelName, versions.apply(modelName), null, "none");
    }

    /** Books the stream's time when it ends, before the listeners after it record it. */
    private static final class Timed extends ForwardingStreamListener {
        private final Runnable ended;

        Timed(StreamListener next, Runnable ended) {
            super(next);
            this.ended = ended;
        }

        @Override
        public void onComplete(ChatResponse response) {
            ended.run();
            next.onComplete(response);
        }

        @Override
        public void onError(Throwable error) {
            ended.run();
            next.onError(error);
        }
    }
}
