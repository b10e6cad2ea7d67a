package io.keel.core.chat;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One message of a conversation, in the shape every chat API shares.
 *
 * @param role       who wrote it
 * @param content    the text; null only for an assistant message that carries tool calls
 * @param toolCalls  tools the assistant asked to call; empty otherwise, never null
 * @param toolCallId for a {@link Role#TOOL} message, the id of the call it answers; null otherwise
 * @param name       optional participant name; null when absent
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = List.copyOf(toolCalls == null ? List.of() : toolCalls);
        if (content == null && toolCalls.isEmpty()) {
            throw new IllegalArgumentException(role.wireName() + " message needs content or tool calls");
        }
        if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("tool message needs the tool_call_id it answers");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, List.of(), null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, List.of(), null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, List.of(), null, null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, toolCalls, null, null);
    }

    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage(Role.TOOL, content, List.of(), toolCallId, null);
    }

    /** Author of a message. */
    public enum Role {
        SYSTEM, USER, ASSISTANT, TOOL;

        /** The lower-case name chat APIs use, e.g. {@code assistant}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a wire name; {@code developer} (OpenAI's newer alias) reads as {@link #SYSTEM}. */
        public static Role fromWire(String wire) {
            if (wire == null) throw new IllegalArgumentException("role is required");
            return switch (wire.toLowerCase(Locale.ROOT)) {
                case "system", "developer" -> SYSTEM;
                case "user" -> USER;
                case "assistant" -> ASSISTANT;
                case "tool" -> TOOL;
                default -> throw new IllegalArgumentException(
                        "unknown role '" + wire + "'; expected system, developer, user, assistant or tool");
            };
        }
    }
}
