package io.keel.core.chat;

import io.keel.core.answer.Usage;

import java.util.List;
import java.util.Objects;

/**
 * A complete answer from a chat model.
 *
 * @param id           the provider's response id
 * @param model        the model that answered, as the provider names it
 * @param content      the generated text; empty (never null) when the model only called tools
 * @param toolCalls    tool calls the model asked for; empty when none
 * @param finishReason why generation stopped, in OpenAI's vocabulary: {@code stop}, {@code length},
 *                     {@code tool_calls}, {@code content_filter}; null when unknown (e.g. a broken stream)
 * @param usage        tokens and cost; null only when the provider reported none and nothing has estimated it yet
 */
public record ChatResponse(String id, String model, String content, List<ToolCall> toolCalls, String finishReason,
                           Usage usage) {
    public ChatResponse {
        content = Objects.requireNonNullElse(content, "");
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
    }

    public ChatResponse withUsage(Usage newUsage) {
        return new ChatResponse(id, model, content, toolCalls, finishReason, newUsage);
    }

    /** The same response with other text, e.g. after a guard rewrote it. */
    public ChatResponse withContent(String newContent, String newFinishReason) {
        return new ChatResponse(id, model, newContent, toolCalls, newFinishReason, usage);
    }

    public ChatResponse withModel(String newModel) {
        return new ChatResponse(id, newModel, content, toolCalls, finishReason, usage);
    }
}
