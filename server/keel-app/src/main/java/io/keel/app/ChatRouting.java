package io.keel.app;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.answer.Lineage;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.agent.Agents;
import io.keel.agent.RunListener;
import io.keel.agent.StopReason;
import io.keel.agent.run.AgentRun;
import io.keel.core.query.Filters;
import io.keel.core.spi.Embedder;
import io.keel.routing.RouteStage;
import io.keel.routing.RouteTarget;
import io.keel.routing.Routing;
import io.keel.routing.TargetHandler;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.Predicate;

/**
 * The chat route's route stage as this instance assembles it: the configured routing tables, the embedder for intent
 * rules, {@code rag:NAME} targets answered by the query pipeline on that collection and {@code agent:NAME} targets
 * answered by a run of that agent.
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
    static RouteStage stage(Routing routing, Embedder embedder, Predicate<String> collections, Ask ask,
                            Supplier<Optional<Agents>> agents) {
        if (!routing.enabled()) return null;
        return new RouteStage(routing, embedder, Map.of(RouteTarget.Kind.RAG, rag(collections, ask),
                RouteTarget.Kind.AGENT, agent(agents)));
    }

    /**
     * An agent target: a run of the agent on the request's messages (not streamed step by step: a streamed request
     * gets the final answer as one piece). The run writes its own request-log records with their usage, so the chat
     * record counts none of it; a limit that ended the run is the finish reason {@code length}.
     */
    static TargetHandler agent(Supplier<Optional<Agents>> agents) {
        return (request, target) -> {
            Agents a = agents.get().orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND, "the routing table sent this request to "
                    + target + ", but no agents can run here: configure a chat model under models:"));
            AgentRun run = a.run(target.name(), request.chat().messages(), request.caller(), RunListener.NONE);
            if (run.stopReason() == StopReason.MODEL_ERROR) {
                throw new KeelException(ErrorCode.UPSTREAM_ERROR, "agent run " + run.id() + " failed: " + run.error());
            }
            String finish = run.stopReason() == StopReason.COMPLETED || run.stopReason() == StopReason.BLOCKED ? "stop" : "length";
            ChatResponse r = new ChatResponse(request.id(), target.modelName(), run.answer() == null ? "" : run.answer(), List.of(),
                    finish, Usage.ZERO);
            return answered(request, r, Lineage.EMPTY.withGenerator(run.agent(), null, null, "none"));
        };
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
            return answered(request, r, a.lineage());
        };
    }

    /** {@code r} as the request asked for it: whole, or as one streamed piece. */
    private static ChatResult answered(ChatExchange request, ChatResponse r, Lineage lineage) {
        if (!request.stream()) return ChatResult.of(request.id(), r, lineage);
        return ChatResult.streaming(request.id(), listener -> {
            if (!r.content().isEmpty()) listener.onToken(r.content());
            listener.onComplete(r);
        }, lineage);
    }
}
