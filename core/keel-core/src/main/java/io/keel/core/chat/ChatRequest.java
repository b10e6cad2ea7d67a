package io.keel.core.chat;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A provider-neutral chat request. Optional sampling parameters are null when not set, so the provider's own
 * defaults apply. Tool definitions and the tool choice are plain JSON trees ({@code Map}/{@code List}/scalars) in
 * OpenAI's shape; adapters translate them for other APIs.
 *
 * @param model       the model to use; adapters map it to the provider's model id, gateways to a configured model
 * @param messages    the conversation, oldest first; never empty
 * @param maxTokens   upper bound on generated tokens, or null
 * @param temperature sampling temperature, or null
 * @param topP        nucleus sampling bound, or null
 * @param stop        stop sequences; empty when none, never null
 * @param tools       tool definitions ({@code {"type":"function","function":{...}}}); empty when none, never null
 * @param toolChoice  {@code "auto"}, {@code "none"}, {@code "required"} or a {@code Map} naming a function; or null
 * @param extra       further provider parameters passed through verbatim (e.g. {@code seed}); never null
 */
public record ChatRequest(String model, List<ChatMessage> messages, Integer maxTokens, Double temperature, Double topP,
                          List<String> stop, List<Map<String, Object>> tools, Object toolChoice,
                          Map<String, Object> extra) {
    public ChatRequest {
        messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
        if (messages.isEmpty()) throw new IllegalArgumentException("messages must not be empty");
        if (maxTokens != null && maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be > 0");
        stop = List.copyOf(stop == null ? List.of() : stop);
        tools = List.copyOf(tools == null ? List.of() : tools);
        extra = Map.copyOf(extra == null ? Map.of() : extra);
    }

    /** A request with only a model and messages; everything else left to the provider's defaults. */
    public static ChatRequest of(String model, List<ChatMessage> messages) {
        return new ChatRequest(model, messages, null, null, null, List.of(), List.of(), null, Map.of());
    }

    public ChatRequest withModel(String newModel) {
        return new ChatRequest(newModel, messages, maxTokens, temperature, topP, stop, tools, toolChoice, extra);
    }

    public ChatRequest withMessages(List<ChatMessage> newMessages) {
        return new ChatRequest(model, newMessages, maxTokens, temperature, topP, stop, tools, toolChoice, extra);
    }

    public ChatRequest withMaxTokens(Integer newMaxTokens) {
        return new ChatRequest(model, messages, newMaxTokens, temperature, topP, stop, tools, toolChoice, extra);
    }

    public ChatRequest withTemperature(Double newTemperature) {
        return new ChatRequest(model, messages, maxTokens, newTemperature, topP, stop, tools, toolChoice, extra);
    }

    public ChatRequest withTools(List<Map<String, Object>> newTools, Object newToolChoice) {
        return new ChatRequest(model, messages, maxTokens, temperature, topP, stop, newTools, newToolChoice, extra);
    }

    /** The capabilities a model needs to serve this request as asked, streaming aside. */
    public Set<Capability> requiredCapabilities() {
        return tools.isEmpty() ? Set.of() : Set.of(Capability.TOOLS);
    }
}
