package io.keel.core.chat;

import java.util.Objects;

/**
 * A model's request to call a tool. Keel passes tool calls through untouched; it never runs them.
 *
 * @param id        the provider's call id, echoed back in the {@link ChatMessage.Role#TOOL} message that answers it
 * @param name      the function name
 * @param arguments the arguments as a JSON object text, exactly as the model produced it
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isEmpty() ? "{}" : arguments;
    }
}
