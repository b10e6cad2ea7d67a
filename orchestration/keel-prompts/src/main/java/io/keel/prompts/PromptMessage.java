package io.keel.prompts;

import io.keel.core.chat.ChatMessage;

import java.util.Map;
import java.util.Objects;

/**
 * One message of a prompt: who says it and the template of what is said. Kept apart from {@link ChatMessage} because
 * a prompt holds templates, not text, and only the roles a prompt author may write (no tool messages).
 *
 * @param role     {@code system}, {@code user} or {@code assistant}
 * @param template the content, with {@code {{name}}} placeholders
 */
public record PromptMessage(ChatMessage.Role role, Template template) {
    public PromptMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(template, "template");
        if (role == ChatMessage.Role.TOOL) throw new IllegalArgumentException("a prompt cannot contain tool messages");
    }

    /** The chat message with every placeholder filled in. */
    public ChatMessage render(Map<String, ?> values) {
        String content = template.render(values);
        return switch (role) {
            case SYSTEM -> ChatMessage.system(content);
            case USER -> ChatMessage.user(content);
            case ASSISTANT -> ChatMessage.assistant(content);
            case TOOL -> throw new IllegalStateException("unreachable");
        };
    }
}
