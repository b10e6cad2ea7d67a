package io.keel.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ToolCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Translates Keel's chat records to and from the Anthropic Messages wire format. */
final class AnthropicCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private AnthropicCodec() {
    }

    /**
     * The Messages request for {@code request}: system messages become the top-level {@code system}; tool results
     * become {@code tool_result} blocks of a user turn; consecutive turns of one role are merged, as the API expects
     * alternating roles; OpenAI-shaped tools and tool choice are translated.
     */
    static ObjectNode writeRequest(ChatRequest request, String modelId, Map<String, Object> defaults, int defaultMaxTokens,
                                   boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", modelId);
        defaults.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        if (!body.has("max_tokens")) body.put("max_tokens", defaultMaxTokens);
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        ObjectNode current = null;
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                if (!system.isEmpty()) system.append("\n\n");
                system.append(m.content());
                continue;
            }
            String role = m.role() == ChatMessage.Role.ASSISTANT ? "assistant" : "user";
            if (current == null || !current.get("role").asText().equals(role)) {
                current = messages.addObject();
                current.put("role", role);
                current.putArray("content");
            }
            ArrayNode blocks = (ArrayNode) current.get("content");
            if (m.role() == ChatMessage.Role.TOOL) {
                ObjectNode r = blocks.addObject();
                r.put("type", "tool_result");
                r.put("tool_use_id", m.toolCallId());
                r.put("content", m.content() == null ? "" : m.content());
                continue;
            }
            if (m.content() != null && !m.content().isEmpty()) blocks.addObject().put("type", "text").put("text", m.content());
            for (ToolCall c : m.toolCalls()) {
                ObjectNode u = blocks.addObject();
                u.put("type", "tool_use");
                u.put("id", c.id());
                u.put("name", c.name());
                u.set("input", parseArguments(c.arguments()));
            }
        }
        if (!system.isEmpty()) body.put("system", system.toString());
        if (request.maxTokens() != null) body.put("max_tokens", request.maxTokens());
        if (request.temperature() != null) body.put("temperature", request.temperature());
        if (request.topP() != null) body.put("top_p", request.topP());
        if (!request.stop().isEmpty()) body.set("stop_sequences", JSON.valueToTree(request.stop()));
        if (!request.tools().isEmpty()) body.set("tools", tools(request.tools()));
        if (request.toolChoice() != null) body.set("tool_choice", toolChoice(request.toolChoice()));
        request.extra().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        if (stream) body.put("stream", true);
        return body;
    }

    private static ArrayNode tools(List<Map<String, Object>> tools) {
        ArrayNode out = JSON.createArrayNode();
        for (Map<String, Object> t : tools) {
            JsonNode tree = JSON.valueToTree(t);
            JsonNode f = tree.has("function") ? tree.get("function") : tree;
            ObjectNode a = out.addObject();
            a.put("name", f.path("name").asText());
            if (f.hasNonNull("description")) a.put("description", f.get("description").asText());
            JsonNode schema = f.has("parameters") ? f.get("parameters") : f.get("input_schema");
            a.set("input_schema", schema != null ? schema : JSON.createObjectNode().put("type", "object"));
        }
        return out;
    }

    private static ObjectNode toolChoice(Object choice) {
        ObjectNode out = JSON.createObjectNode();
        if (choice instanceof String s) {
            out.put("type", switch (s) {
                case "required", "any" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
            return out;
        }
        JsonNode tree = JSON.valueToTree(choice);
        String name = tree.path("function").path("name").asText(tree.path("name").asText(null));
        if (name == null) return out.put("type", "auto");
        return out.put("type", "tool").put("name", name);
    }

    private static JsonNode parseArguments(String args) {
        try {
            JsonNode n = JSON.readTree(args);
            return n != null && n.isObject() ? n : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tool call arguments are not a JSON object: " + args, e);
        }
    }

    /** Reads a {@code message} object. */
    static ChatResponse readResponse(JsonNode msg) {
        JsonNode content = msg.get("content");
        if (content == null || !content.isArray()) throw new IllegalArgumentException("no content array in the message");
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(),
                        block.path("input").toString()));
                default -> { }
            }
        }
        return new ChatResponse(msg.path("id").asText(null), msg.path("model").asText(null), text.toString(), calls,
                finishReason(msg.path("stop_reason").asText(null)), usage(msg.get("usage"), 0, 0));
    }

    /**
     * Input tokens include cache reads and writes: all of them are prompt tokens the model processed; the cache reads
     * are the cached prompt tokens (billed at the cached-input price).
     *
     * @param knownInput  prompt tokens from {@code message_start}, for a delta that does not repeat them
     * @param knownCached cache reads from {@code message_start}
     */
    static Usage usage(JsonNode u, long knownInput, long knownCached) {
        if (u == null || !u.isObject()) return null;
        boolean hasInput = u.has("input_tokens");
        long input = hasInput ? promptTokens(u) : knownInput;
        long cached = hasInput ? u.path("cache_read_input_tokens").asLong(0) : knownCached;
        return new Usage(input, u.path("output_tokens").asLong(0), cached, 0.0, false);
    }

    static long promptTokens(JsonNode u) {
        return u.path("input_tokens").asLong(0) + u.path("cache_creation_input_tokens").asLong(0)
                + u.path("cache_read_input_tokens").asLong(0);
    }

    /** Maps Anthropic's stop reasons onto OpenAI's finish reasons. */
    static String finishReason(String stopReason) {
        if (stopReason == null) return null;
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }
}
