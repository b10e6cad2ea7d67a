package io.keel.routing;

import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;

/**
 * Serves a chat request that a routing rule sent to an agent or a RAG collection, as a chat result (whole, or a
 * stream when the request asked for one). Registered with the {@link RouteStage} by target kind.
 */
@FunctionalInterface
public interface TargetHandler {
    /**
     * @param request the request, its model already rewritten to {@code target.modelName()}
     * @param target  the agent or RAG collection chosen
     */
    ChatResult serve(ChatExchange request, RouteTarget target);
}
