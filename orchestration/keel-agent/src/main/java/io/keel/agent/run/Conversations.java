package io.keel.agent.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ToolCall;

import java.util.ArrayList;
import java.util.List;

/** Conversation messages as JSON, for the run store: {@code {"role","content","tool_calls":[...],"tool_call_id"}}. */
public final class Conversations {
    static final ObjectMapper JSON = new ObjectMapper();

    private Conversations() {
    }

    /** One message as a JSON object. */
    public static String write(ChatMessage m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("role", m.role().wireName());
        if (m.content() != null) n.put("content", m.content());
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = n.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) calls.addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
        }
        if (m.toolCallId() != null) n.put("tool_call_id", m.toolCallId());
        if (m.name() != null) n.put("name", m.name());
        return n.toString();
    }

    /** One message from {@link #write(ChatMessage)}'s JSON. */
    public static ChatMessage read(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode c : n.path("tool_calls")) calls.add(new ToolCall(c.get("id").asText(), c.get("name").asText(), c.path("arguments").asText("{}")));
            return new ChatMessage(ChatMessage.Role.fromWire(n.get("role").asText()), n.hasNonNull("content") ? n.get("content").asText() : null,
                    calls, n.hasNonNull("tool_call_id") ? n.get("tool_call_id").asText() : null, n.hasNonNull("name") ? n.get("name").asText() : null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored message is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    static String strings(List<String> values) {
        ArrayNode arr = JSON.createArrayNode();
        values.forEach(arr::add);
        return arr.toString();
    }

    static List<String> strings(String json) {
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(json)) out.add(n.asText());
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
