package io.keel.routing.signal;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.query.SearchHit;
import io.keel.quality.Groundedness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Groundedness of the cheap answer ({@code observability/keel-quality}): the share of its claim sentences supported by
 * the context, which is the retrieved context of the request when a retrieval stage ran, else the request's system
 * and tool messages (where a caller puts the passages it wants answered from). An answer with no checkable claim, or a
 * request with no context, scores 1: groundedness has nothing to say about it.
 */
public final class GroundednessSignal implements ConfidenceSignal {
    private final Groundedness groundedness;

    public GroundednessSignal(Groundedness groundedness) {
        this.groundedness = Objects.requireNonNull(groundedness, "groundedness");
    }

    @Override
    public String name() {
        return "groundedness";
    }

    @Override
    public double score(ChatExchange request, ChatResponse answer, Function<ChatRequest, ChatResponse> ask) {
        List<SearchHit> context = request.trail().context();
        if (context.isEmpty()) context = messages(request.chat());
        Double g = groundedness.assess(answer.content(), context).groundedness();
        return g == null ? 1 : g;
    }

    private static List<SearchHit> messages(ChatRequest chat) {
        List<SearchHit> hits = new ArrayList<>();
        for (ChatMessage m : chat.messages()) {
            boolean context = m.role() == ChatMessage.Role.SYSTEM || m.role() == ChatMessage.Role.TOOL;
            if (context && m.content() != null && !m.content().isBlank()) {
                String id = "message-" + hits.size();
                hits.add(new SearchHit(id, id, 1, m.content(), null, null, null, null));
            }
        }
        return hits;
    }
}
