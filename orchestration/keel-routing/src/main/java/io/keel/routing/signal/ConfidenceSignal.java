package io.keel.routing.signal;

import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.pipeline.chat.ChatExchange;

import java.util.function.Function;

/**
 * Scores a cascade's cheap answer: 1 means trust it, 0 means escalate. Implementations are thread-safe.
 */
public interface ConfidenceSignal {
    /** {@code refusal}, {@code verifier} or {@code groundedness}: written into the route reason. */
    String name();

    /**
     * @param request the request as the cheap model received it
     * @param answer  the cheap model's whole answer
     * @param ask     sends another chat request through the rest of the pipeline (budgets, the gateway) and returns
     *                its answer: how a verifier model is called
     * @return a score in [0, 1]
     */
    double score(ChatExchange request, ChatResponse answer, Function<ChatRequest, ChatResponse> ask);
}
