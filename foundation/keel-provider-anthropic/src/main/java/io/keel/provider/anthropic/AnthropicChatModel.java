package io.keel.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.answer.Usage;
import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.SseReader;
import io.keel.core.chat.StreamCall;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCall;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chat through the Anthropic Messages API. System messages go to the top-level {@code system} prompt, tool calls and
 * tool results pass through as {@code tool_use} / {@code tool_result} blocks, streams are read event by event
 * ({@code message_start} ... {@code message_stop}) and their usage is taken from {@code message_start} (input) and
 * {@code message_delta} (output). One attempt per call. Thread-safe.
 */
public final class AnthropicChatModel implements ChatModel {
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.STREAMING, Capability.TOOLS,
            Capability.STREAM_USAGE);

    private final AnthropicConfig config;
    private final String modelId;
    private final Map<String, Object> defaults;
    private final String name;

    public AnthropicChatModel(AnthropicConfig config, String modelId, Map<String, Object> defaults) {
        this.config = Objects.requireNonNull(config, "config");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.defaults = Map.copyOf(defaults == null ? Map.of() : defaults);
        this.name = "anthropic:" + modelId + "@" + config.baseUrl();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Capability.check(this, request, false);
        HttpResponse<InputStream> response = send(request, false);
        try (InputStream in = response.body()) {
            return AnthropicCodec.readResponse(AnthropicCodec.JSON.readTree(in));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        } catch (IOException e) {
            throw AnthropicHttp.transportError(name, e, config.timeout());
        }
    }

    @Override
    public void stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        State state = new State();
        StreamCall.run(name, listener, progress(state), () -> {
            Capability.check(this, request, true);
            read(send(request, true).body(), listener, state);
        });
    }

    private StreamCall.Progress progress(State state) {
        return StreamCall.Progress.of(state::started, () -> state.response(modelId));
    }

    private void read(InputStream body, StreamListener listener, State state) {
        try (SseReader reader = new SseReader(body); AnthropicHttp.IdleWatch watch = AnthropicHttp.watch(body, config.timeout())) {
            try {
                SseReader.Event event;
                while ((event = reader.next()) != null) {
                    watch.touch();
                    JsonNode data;
                    try {
                        data = AnthropicCodec.JSON.readTree(event.data());
                    } catch (JsonProcessingException e) {
                        throw UpstreamException.malformed(name, "stream event is not JSON", e);
                    }
                    if (state.accept(data, listener, name)) return;
                }
                throw new UpstreamException(ErrorCode.UPSTREAM_ERROR, name + " ended the stream before message_stop",
                        0, null, null);
            } catch (IOException e) {
                if (watch.fired()) throw UpstreamException.timeout(name, config.timeout(), e);
                throw AnthropicHttp.transportError(name, e, config.timeout());
            }
        } catch (IOException closing) {
            // done with the body either way
        }
    }

    private HttpResponse<InputStream> send(ChatRequest request, boolean stream) {
        String json;
        try {
            json = AnthropicCodec.JSON.writeValueAsString(
                    AnthropicCodec.writeRequest(request, modelId, defaults, config.defaultMaxTokens(), stream));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IllegalArgumentException e) {
            throw KeelException.invalid(e.getMessage());
        }
        HttpRequest req = HttpRequest.newBuilder(config.messagesUri())
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("x-api-key", config.apiKey())
                .header("anthropic-version", config.version())
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = AnthropicHttp.client().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw AnthropicHttp.transportError(name, e, config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.UNAVAILABLE, "interrupted while calling " + name, e);
        }
        if (response.statusCode() == 529) {
            AnthropicHttp.statusError(name, response);
            throw new UpstreamException(ErrorCode.UNAVAILABLE, name + " is overloaded (HTTP 529)", 529,
                    UpstreamException.parseRetryAfter(response.headers().firstValue("retry-after").orElse(null))
                            .orElse(null), null);
        }
        if (response.statusCode() / 100 != 2) throw AnthropicHttp.statusError(name, response);
        return response;
    }

    /** Stream progress; confined to the streaming thread. */
    private static final class State {
        final StringBuilder text = new StringBuilder();
        final Map<Integer, int[]> toolIndexByBlock = new TreeMap<>();
        final List<String[]> tools = new ArrayList<>();
        final List<StringBuilder> toolArgs = new ArrayList<>();
        String id;
        String model;
        String finish;
        long inputTokens;
        long cachedTokens;
        Usage usage;
        int chunks;

        boolean started() {
            return chunks > 0 || !tools.isEmpty();
        }

        /** Applies one event; true at {@code message_stop}. */
        boolean accept(JsonNode data, StreamListener listener, String upstream) {
            switch (data.path("type").asText()) {
                case "message_start" -> {
                    JsonNode m = data.path("message");
                    id = m.path("id").asText(null);
                    model = m.path("model").asText(null);
                    inputTokens = AnthropicCodec.promptTokens(m.path("usage"));
                    cachedTokens = m.path("usage").path("cache_read_input_tokens").asLong(0);
                }
                case "content_block_start" -> {
                    JsonNode block = data.path("content_block");
                    if ("tool_use".equals(block.path("type").asText())) {
                        int toolIndex = tools.size();
                        toolIndexByBlock.put(data.path("index").asInt(), new int[] {toolIndex});
                        tools.add(new String[] {block.path("id").asText(), block.path("name").asText()});
                        toolArgs.add(new StringBuilder());
                        listener.onToolCallDelta(new ToolCallDelta(toolIndex, block.path("id").asText(),
                                block.path("name").asText(), ""));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = data.path("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> {
                            String t = delta.path("text").asText("");
                            if (!t.isEmpty()) {
                                text.append(t);
                                chunks++;
                                listener.onToken(t);
                            }
                        }
                        case "input_json_delta" -> {
                            int[] ti = toolIndexByBlock.get(data.path("index").asInt());
                            if (ti != null) {
                                String part = delta.path("partial_json").asText("");
                                toolArgs.get(ti[0]).append(part);
                                listener.onToolCallDelta(new ToolCallDelta(ti[0], null, null, part));
                            }
                        }
                        default -> { }
                    }
                }
                case "message_delta" -> {
                    finish = AnthropicCodec.finishReason(data.path("delta").path("stop_reason").asText(null));
                    usage = AnthropicCodec.usage(data.get("usage"), inputTokens, cachedTokens);
                }
                case "message_stop" -> {
                    return true;
                }
                case "error" -> {
                    JsonNode err = data.path("error");
                    String type = err.path("type").asText("api_error");
                    ErrorCode code = switch (type) {
                        case "overloaded_error" -> ErrorCode.UNAVAILABLE;
                        case "rate_limit_error" -> ErrorCode.RATE_LIMITED;
                        default -> ErrorCode.UPSTREAM_ERROR;
                    };
                    throw new UpstreamException(code, upstream + " sent an error event: " + type + ": "
                            + err.path("message").asText(), 0, null, null);
                }
                default -> { }
            }
            return false;
        }

        ChatResponse response(String fallbackModel) {
            List<ToolCall> calls = new ArrayList<>();
            for (int i = 0; i < tools.size(); i++) {
                String args = toolArgs.get(i).toString();
                calls.add(new ToolCall(tools.get(i)[0], tools.get(i)[1], args.isEmpty() ? "{}" : args));
            }
            return new ChatResponse(id, model == null ? fallbackModel : model, text.toString(), calls, finish, usage);
        }
    }
}
