package io.keel.app;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.query.Filters;
import io.keel.core.spi.Embedder;
import io.keel.routing.RouteStage;
import io.keel.routing.RouteTarget;
import io.keel.routing.Routing;
import io.keel.routing.TargetHandler;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The chat route's route stage as this instance assembles it: the configured routing tables, the embedder for intent
 * rules, and {@code rag:NAME} targets answered by the query pipeline on that collection. {@code agent:NAME} targets
 * need the agent runtime's handler.
 */
final class ChatRouting {
    /** Answers a question on a collection for a caller through the query route's pipeline. */
    @FunctionalInterface
    interface Ask {
        Answer query(QueryInput input, String route, Caller caller);
    }

    private ChatRouting() {
    }

    /** The stage, or null when routing is off. */
    static RouteStage stage(Routing routing, Embedder embedder, Predicate<String> collections, Ask ask) {
        if (!routing.enabled()) return null;
        return new RouteStage(routing, embedder, Map.of(RouteTarget.Kind.RAG, rag(collections, ask)));
    }

    /**
     * A RAG target: the question (the last user message, as the guard left it) answered by the collection's query
     * pipeline, which writes its own request-log record with its usage; the chat record therefore counts none of it.
     */
    static TargetHandler rag(Predicate<String> collections, Ask ask) {
        return (request, target) -> {
            if (!collections.test(target.name())) {
                throw new KeelException(ErrorCode.NOT_FOUND, "the routing table sent this request to " + target + ", but there is no collection named '" + target.name() + "'");
            }
            String question = request.guardedText();
            if (question == null || question.isBlank()) {
                throw new KeelException(ErrorCode.INVALID_REQUEST, "a rag: target answers the last message, which must be a non-empty user message");
            }
            Answer a = ask.query(new QueryInput(question, null, null, Filters.NONE, target.name()), request.route(), request.caller());
            ChatResponse r = new ChatResponse(request.id(), target.modelName(), a.text(), List.of(), "stop", Usage.ZERO);
            if (!request.stream()) return ChatResult.of(request.id(), r, a.lineage());
            return ChatResult.streaming(request.id(), listener -> {
                if (!r.content().isEmpty()) listener.onToken(r.content());
                listener.onComplete(r);
            }, a.lineage());
        };
    }
}
