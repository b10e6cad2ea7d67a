package io.keel.openai.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ToolCall;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates between Keel's chat records and the OpenAI Chat Completions wire format, in both directions: the
 * adapter writes requests and reads responses, Keel's own OpenAI-compatible API reads requests and writes responses.
 * Thread-safe.
 *
 * <p>One class, longer than most on purpose: the four directions share the field names, the tool-call and content-part
 * shapes and the usage mapping, so a change of the wire format is made, and checked, in one place.
 */
public final class OpenAiCodec {
    /** The shared mapper; configured once, safe to share. Floats are read and written with the fast algorithms. */
    public static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build());

    private static final Set<String> KNOWN = Set.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "tools", "tool_choice", "stream", "stream_options");

    private OpenAiCodec() {
    }

    // ---- requests

    /**
     * The request body for {@code request}. {@code defaults} (configured parameters) apply unless the request sets the
     * same key; {@code modelId} replaces the request's model name.
     */
    public static ObjectNode writeRequest(ChatRequest request, String modelId, Map<String, Object> defaults,
                                          boolean stream, boolean streamUsage) {
        ObjectNode body = JSON.createObjectNode();
        if (modelId != null) body.put("model", modelId);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) messages.add(writeMessage(m));
        defaults.forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        if (request.maxTokens() != null) body.put("max_tokens", request.maxTokens());
        if (request.temperature() != null) body.put("temperature", request.temperature());
        if (request.topP() != null) body.put("top_p", request.topP());
        if (!request.stop().isEmpty()) body.set("stop", JSON.valueToTree(request.stop()));
        if (!request.tools().isEmpty()) body.set("tools", JSON.valueToTree(request.tools()));
        if (request.toolChoice() != null) body.set("tool_choice", JSON.valueToTree(request.toolChoice()));
        request.extra().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        if (stream) {
            body.put("stream", true);
            if (streamUsage) body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ObjectNode writeMessage(ChatMessage m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("role", m.role().wireName());
        if (m.content() == null) node.putNull("content");
        else node.put("content", m.content());
        if (m.name() != null) node.put("name", m.name());
        if (m.toolCallId() != null) node.put("tool_call_id", m.toolCallId());
        if (!m.toolCalls().isEmpty()) node.set("tool_calls", writeToolCalls(m.toolCalls()));
        return node;
    }

    /**
     * Reads a Chat Completions request body. Unknown top-level parameters are kept in {@link ChatRequest#extra()}.
     *
     * @throws IllegalArgumentException naming the offending field when the body is not a valid request
     */
    public static ChatRequest readRequest(JsonNode body) {
        if (body == null || !body.isObject()) throw new IllegalArgumentException("request body must be a JSON object");
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new IllegalArgumentException("'model' is required and must be a string");
        }
        JsonNode msgs = body.get("messages");
        if (msgs == null || !msgs.isArray() || msgs.isEmpty()) {
            throw new IllegalArgumentException("'messages' is required and must be a non-empty array");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) {
            try {
                messages.add(readMessage(msgs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage(), e);
            }
        }
        Integer maxTokens = intField(body, "max_completion_tokens");
        if (maxTokens == null) maxTokens = intField(body, "max_tokens");
        Double temperature = numberField(body, "temperature");
        Double topP = numberField(body, "top_p");
        List<String> stop = new ArrayList<>();
        JsonNode s = body.get("stop");
        if (s != null && s.isTextual()) stop.add(s.asText());
        else if (s != null && s.isArray()) s.forEach(x -> stop.add(x.asText()));
        else if (s != null && !s.isNull()) throw new IllegalArgumentException("'stop' must be a string or an array");
        List<Map<String, Object>> tools = new ArrayList<>();
        JsonNode t = body.get("tools");
        if (t != null && !t.isNull()) {
            if (!t.isArray()) throw new IllegalArgumentException("'tools' must be an array");
            for (JsonNode tool : t) tools.add(toMap(tool));
        }
        Object toolChoice = body.hasNonNull("tool_choice") ? JSON.convertValue(body.get("tool_choice"), Object.class) : null;
        Map<String, Object> extra = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            if (!KNOWN.contains(e.getKey()) && !e.getValue().isNull()) {
                extra.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            }
        });
        try {
            return new ChatRequest(model.asText(), messages, maxTokens, temperature, topP, stop, tools, toolChoice, extra);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static ChatMessage readMessage(JsonNode m) {
        if (!m.isObject()) throw new IllegalArgumentException("must be an object");
        ChatMessage.Role role = ChatMessage.Role.fromWire(m.path("role").isTextual() ? m.get("role").asText() : null);
        JsonNode c = m.get("content");
        String content;
        if (c == null || c.isNull()) {
            content = null;
        } else if (c.isTextual()) {
            content = c.asText();
        } else if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText())) {
                    throw new IllegalArgumentException("content part type '" + part.path("type").asText()
                            + "' is not supported; only text parts are");
                }
                sb.append(part.path("text").asText());
            }
            content = sb.toString();
        } else {
            throw new IllegalArgumentException("'content' must be a string, an array of parts, or null");
        }
        List<ToolCall> calls = readToolCalls(m.get("tool_calls"));
        String toolCallId = m.hasNonNull("tool_call_id") ? m.get("tool_call_id").asText() : null;
        String name = m.hasNonNull("name") ? m.get("name").asText() : null;
        return new ChatMessage(role, content, calls, toolCallId, name);
    }

    // ---- responses

    /** Reads a {@code chat.completion} object. Usage is null when the body has none. */
    public static ChatResponse readResponse(JsonNode body) {
        JsonNode choice = body.path("choices").path(0);
        if (!choice.isObject() || !choice.path("message").isObject()) {
            throw new IllegalArgumentException("no choices[0].message in the response");
        }
        JsonNode message = choice.get("message");
        return new ChatResponse(body.path("id").asText(null), body.path("model").asText(null),
                message.path("content").isTextual() ? message.get("content").asText() : "",
                readToolCalls(message.get("tool_calls")), choice.path("finish_reason").asText(null),
                readUsage(body.get("usage")));
    }

    /**
     * Reads a {@code chat.completion} object from its bytes with Jackson's streaming parser: exactly what
     * {@link #readResponse(JsonNode)} reads from a tree (same values, same errors), without building the tree of the
     * whole answer. Tool calls and usage, small and optional, are still read as trees.
     *
     * @throws IOException              when the bytes are not JSON
     * @throws IllegalArgumentException when the JSON is not a chat completion
     */
    public static ChatResponse readResponse(byte[] bytes) throws IOException {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken root = p.nextToken();
            if (root != JsonToken.START_OBJECT) {
                if (root != null) JSON.readTree(p); // the tree reader's own error for broken JSON
                throw new IllegalArgumentException("no choices[0].message in the response");
            }
            String id = null;
            String model = null;
            JsonNode usage = null;
            Choice choice = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "id" -> id = text(p, t);
                    case "model" -> model = text(p, t);
                    case "usage" -> usage = tree(p, t);
                    case "choices" -> choice = firstChoice(p, t);
                    default -> p.skipChildren();
                }
            }
            if (choice == null || !choice.object || !choice.messageObject) {
                throw new IllegalArgumentException("no choices[0].message in the response");
            }
            return new ChatResponse(id, model, choice.content, readToolCalls(choice.toolCalls), choice.finishReason,
                    readUsage(usage));
        }
    }

    /** What {@code choices[0]} held, field by field, the last of duplicate keys winning as in a tree. */
    private static final class Choice {
        boolean object;
        boolean messageObject;
        String content = "";
        JsonNode toolCalls;
        String finishReason;
    }

    /** Reads the {@code choices} value; returns its first element's fields, or null when it is not a non-empty array. */
    private static Choice firstChoice(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) return null;
        Choice c = new Choice();
        if (first == JsonToken.START_OBJECT) {
            c.object = true;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "message" -> readMessage(p, v, c);
                    case "finish_reason" -> c.finishReason = text(p, v);
                    default -> p.skipChildren();
                }
            }
        } else {
            p.skipChildren();
        }
        while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
        return c;
    }

    private static void readMessage(JsonParser p, JsonToken t, Choice c) throws IOException {
        c.messageObject = t == JsonToken.START_OBJECT;
        c.content = "";
        c.toolCalls = null;
        if (!c.messageObject) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "content" -> {
                    c.content = v == JsonToken.VALUE_STRING ? p.getText() : "";
                    p.skipChildren();
                }
                case "tool_calls" -> c.toolCalls = tree(p, v);
                default -> p.skipChildren();
            }
        }
    }

    /** A scalar as {@code JsonNode.asText(null)} gives it: null for JSON null, the text of anything else. */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING ? p.getText() : tree(p, t).asText(null);
    }

    private static JsonNode tree(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_NULL ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : JSON.readTree(p);
    }

    /**
     * Reads a {@code usage} object, with {@code prompt_tokens_details.cached_tokens} as the cached prompt tokens; null
     * when absent or null. Cost is left at zero for the gateway to price.
     */
    public static Usage readUsage(JsonNode usage) {
        if (usage == null || !usage.isObject()) return null;
        long prompt = usage.path("prompt_tokens").asLong(0);
        long cached = Math.min(prompt, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        return new Usage(prompt, usage.path("completion_tokens").asLong(0), cached, 0.0, false);
    }

    /** Writes a {@code chat.completion} object. */
    public static ObjectNode writeResponse(ChatResponse r, long created) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", r.id());
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", r.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (r.content().isEmpty() && !r.toolCalls().isEmpty()) message.putNull("content");
        else message.put("content", r.content());
        if (!r.toolCalls().isEmpty()) message.set("tool_calls", writeToolCalls(r.toolCalls()));
        choice.putNull("logprobs");
        choice.put("finish_reason", r.finishReason() == null ? "stop" : r.finishReason());
        if (r.usage() != null) body.set("usage", writeUsage(r.usage()));
        return body;
    }

    /**
     * The bytes of {@code writeResponse(r, created)} with {@code id} in place of {@code r.id()}, written with the
     * streaming generator (no tree in between).
     */
    public static byte[] writeResponseBytes(ChatResponse r, long created, String id) {
        com.fasterxml.jackson.core.util.ByteArrayBuilder buf = new com.fasterxml.jackson.core.util.ByteArrayBuilder(512);
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(buf)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", created);
            g.writeStringField("model", r.model());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            if (r.content().isEmpty() && !r.toolCalls().isEmpty()) g.writeNullField("content");
            else g.writeStringField("content", r.content());
            if (!r.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall c : r.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringField("id", c.id());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", c.name());
                    g.writeStringField("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", r.finishReason() == null ? "stop" : r.finishReason());
            g.writeEndObject();
            g.writeEndArray();
            if (r.usage() != null) {
                g.writeFieldName("usage");
                JSON.writeTree(g, writeUsage(r.usage())); // one definition of the usage object
            }
            g.writeEndObject();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public static ObjectNode writeUsage(Usage u) {
        ObjectNode n = JSON.createObjectNode();
        n.put("prompt_tokens", u.promptTokens());
        n.put("completion_tokens", u.completionTokens());
        n.put("total_tokens", u.totalTokens());
        if (u.cachedPromptTokens() > 0) n.putObject("prompt_tokens_details").put("cached_tokens", u.cachedPromptTokens());
        return n;
    }

    /** A {@code chat.completion.chunk} with one choice; {@code delta} may be empty, {@code finishReason} null. */
    public static ObjectNode writeChunk(String id, String model, long created, ObjectNode delta, String finishReason,
                                        boolean usageField) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) choice.putNull("finish_reason");
        else choice.put("finish_reason", finishReason);
        if (usageField) c.putNull("usage");
        return c;
    }

    /** The final usage chunk of a stream that asked for usage: empty {@code choices}. */
    public static ObjectNode writeUsageChunk(String id, String model, long created, Usage usage) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        c.putArray("choices");
        c.set("usage", writeUsage(usage));
        return c;
    }

    // ---- shared pieces

    public static ArrayNode writeToolCalls(List<ToolCall> calls) {
        ArrayNode arr = JSON.createArrayNode();
        for (ToolCall c : calls) {
            ObjectNode n = arr.addObject();
            n.put("id", c.id());
            n.put("type", "function");
            ObjectNode f = n.putObject("function");
            f.put("name", c.name());
            f.put("arguments", c.arguments());
        }
        return arr;
    }

    public static List<ToolCall> readToolCalls(JsonNode calls) {
        if (calls == null || calls.isNull()) return List.of();
        if (!calls.isArray()) throw new IllegalArgumentException("'tool_calls' must be an array");
        List<ToolCall> out = new ArrayList<>();
        for (JsonNode c : calls) {
            JsonNode f = c.path("function");
            if (!c.path("id").isTextual() || !f.path("name").isTextual()) {
                throw new IllegalArgumentException("each tool call needs an id and function.name");
            }
            JsonNode args = f.get("arguments");
            String a = args == null || args.isNull() ? "{}" : args.isTextual() ? args.asText() : args.toString();
            out.add(new ToolCall(c.get("id").asText(), f.get("name").asText(), a));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        if (!node.isObject()) throw new IllegalArgumentException("each tool must be an object");
        return JSON.convertValue(node, LinkedHashMap.class);
    }

    private static Integer intField(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.canConvertToInt() || !n.isIntegralNumber()) throw new IllegalArgumentException("'" + name + "' must be an integer");
        return n.asInt();
    }

    private static Double numberField(JsonNode body, String name) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isNumber()) throw new IllegalArgumentException("'" + name + "' must be a number");
        return n.asDouble();
    }

    /** Serialises a tree, for callers that hold no mapper. */
    public static String toJson(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
