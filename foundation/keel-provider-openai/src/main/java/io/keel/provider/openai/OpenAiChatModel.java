package io.keel.provider.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.answer.Usage;
import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.SseReader;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamFlush;
import io.keel.core.chat.StreamCall;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCall;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.chat.UpstreamException;
import io.keel.core.error.ErrorCode;
import io.keel.openai.protocol.OpenAiCodec;
import io.keel.provider.openai.internal.Http;
import io.keel.provider.openai.internal.Http1Client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chat completions against one OpenAI-compatible endpoint: OpenAI, Azure OpenAI, vLLM, TGI's Messages API, Ollama,
 * LM Studio. One attempt per call: retries, balancing and fallback belong to the model gateway. Thread-safe.
 *
 * <p>Streams ask for usage ({@code stream_options.include_usage}) unless the config turns it off; a stream is complete
 * only after {@code data: [DONE]} or a {@code finish_reason}. A stream that breaks, stalls beyond the timeout, or sends
 * malformed JSON after the first token ends in {@link StreamFailedException} carrying what arrived.
 */
public final class OpenAiChatModel implements ChatModel {
    private final OpenAiConfig config;
    private final String modelId;
    private final Map<String, Object> defaults;
    private final String name;
    private final Set<Capability> capabilities;
    private final Http.Endpoint endpoint;

    /**
     * @param modelId  the upstream model id sent as {@code model} (for Azure, informational: the deployment decides)
     * @param defaults parameters sent with every request unless the request sets them (e.g. {@code temperature})
     */
    public OpenAiChatModel(OpenAiConfig config, String modelId, Map<String, Object> defaults) {
        this.config = Objects.requireNonNull(config, "config");
        this.modelId = Objects.requireNonNull(modelId, "modelId");
        this.defaults = Map.copyOf(defaults == null ? Map.of() : defaults);
        this.name = "openai:" + modelId + "@" + config.baseUrl();
        EnumSet<Capability> caps = EnumSet.of(Capability.STREAMING, Capability.TOOLS);
        if (config.streamUsage()) caps.add(Capability.STREAM_USAGE);
        this.capabilities = Set.copyOf(caps);
        this.endpoint = new Http.Endpoint(config, "chat/completions", name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        Capability.check(this, request, false);
        Http1Client.Response response = send(request, false);
        try (response) {
            return OpenAiCodec.readResponse(response.bodyBytes());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw UpstreamException.malformed(name, e.getMessage(), e);
        } catch (IOException e) {
            throw Http.transportError(name, e, config.timeout());
        }
    }

    @Override
    public void stream(ChatRequest request, StreamListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        StreamState state = new StreamState();
        StreamCall.run(name, listener, progress(state), () -> {
            Capability.check(this, request, true);
            try (Http1Client.Response response = send(request, true)) {
                // a relay listening on this thread may batch its flushes until this reader waits for the upstream
                StreamFlush batch = StreamFlush.open();
                boolean read = false;
                try {
                    response.beforeWait(batch::run);
                    readStream(response.body(), listener, state);
                    read = true;
                } finally {
                    response.beforeWait(null);
                    if (read) batch.close();
                    else batch.closeQuietly();
                }
            }
        });
    }

    private StreamCall.Progress progress(StreamState state) {
        return StreamCall.Progress.of(state::started, () -> state.response(modelId));
    }

    private void readStream(InputStream body, StreamListener listener, StreamState state) {
        try (SseReader reader = new SseReader(body)) {
            SseReader.Event event;
            while ((event = reader.next()) != null) {
                if (event.data().equals("[DONE]")) {
                    state.done = true;
                    drain(body);
                    return;
                }
                Chunk chunk;
                try {
                    chunk = Chunk.parse(event.data());
                } catch (JsonProcessingException e) {
                    throw UpstreamException.malformed(name, "stream event is not JSON: " + abbreviate(event.data()), e);
                }
                if (chunk.error != null) {
                    throw new UpstreamException(ErrorCode.UPSTREAM_ERROR, name + " reported an error mid-stream: "
                            + chunk.error.path("message").asText(chunk.error.toString()), 0, null, null);
                }
                state.accept(chunk, listener);
            }
            if (state.finishReason == null) {
                throw new UpstreamException(ErrorCode.UPSTREAM_ERROR,
                        name + " ended the stream before finishing the response", 0, null, null);
            }
        } catch (IOException e) {
            throw Http.transportError(name, e, config.timeout());
        }
    }

    /** Reads the rest of a finished body (the chunked terminator) so the connection can be reused. */
    private static void drain(InputStream body) {
        try {
            byte[] buf = new byte[256];
            for (int i = 0; i < 16 && body.read(buf) != -1; i++) {
                // at most a few bytes remain after [DONE]
            }
        } catch (IOException ignored) {
            // the connection is discarded instead
        }
    }

    private Http1Client.Response send(ChatRequest request, boolean stream) {
        String model = config.dialect() == OpenAiConfig.Dialect.AZURE ? null : modelId;
        byte[] body;
        try {
            body = OpenAiCodec.JSON.writeValueAsBytes(OpenAiCodec.writeRequest(request, model, defaults, stream,
                    stream && config.streamUsage()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return endpoint.post(body, stream);
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    /** What a stream has delivered so far. Confined to the streaming thread. */
    private static final class StreamState {
        final StringBuilder content = new StringBuilder();
        final Map<Integer, ToolCallBuilder> calls = new TreeMap<>();
        String id;
        String model;
        String finishReason;
        Usage usage;
        int tokens;
        boolean done;

        boolean started() {
            return tokens > 0 || !calls.isEmpty();
        }

        void accept(Chunk chunk, StreamListener listener) {
            if (id == null && chunk.id != null) id = chunk.id;
            if (model == null && chunk.model != null) model = chunk.model;
            Usage u = OpenAiCodec.readUsage(chunk.usage);
            if (u != null) usage = u;
            if (!chunk.choice) return;
            String text = chunk.content;
            if (text != null && !text.isEmpty()) {
                content.append(text);
                tokens++;
                listener.onToken(text);
            }
            JsonNode tc = chunk.toolCalls;
            if (tc != null && tc.isArray()) {
                for (JsonNode d : tc) {
                    int index = d.path("index").asInt(calls.size());
                    ToolCallBuilder b = calls.computeIfAbsent(index, i -> new ToolCallBuilder());
                    String callId = d.hasNonNull("id") ? d.get("id").asText() : null;
                    String fn = d.path("function").hasNonNull("name") ? d.path("function").get("name").asText() : null;
                    String args = d.path("function").path("arguments").asText("");
                    if (callId != null) b.id = callId;
                    if (fn != null) b.name = fn;
                    b.arguments.append(args);
                    listener.onToolCallDelta(new ToolCallDelta(index, callId, fn, args));
                }
            }
            if (chunk.finishReason != null) finishReason = chunk.finishReason;
        }

        ChatResponse response(String fallbackModel) {
            List<ToolCall> toolCalls = new ArrayList<>();
            for (ToolCallBuilder b : calls.values()) {
                if (b.id != null && b.name != null) toolCalls.add(new ToolCall(b.id, b.name, b.arguments.toString()));
            }
            return new ChatResponse(id, model == null ? fallbackModel : model, content.toString(), toolCalls,
                    finishReason, usage);
        }
    }

    /**
     * The parts of one {@code chat.completion.chunk} the adapter uses, read with the streaming parser: the text delta
     * (the common case) becomes a string without building a tree; {@code usage}, {@code tool_calls} and {@code error}
     * are small and rare, and are read as trees. Reads what {@code readTree} + {@code path(...)} used to read: the last
     * of duplicate keys wins, non-null scalars are read as text, anything but an object is ignored.
     */
    static final class Chunk {
        String id;
        String model;
        JsonNode usage;
        JsonNode error;
        boolean choice;
        String content;
        JsonNode toolCalls;
        String finishReason;

        static Chunk parse(String data) throws IOException {
            Chunk c = new Chunk();
            try (com.fasterxml.jackson.core.JsonParser p = OpenAiCodec.JSON.createParser(data)) {
                com.fasterxml.jackson.core.JsonToken t = p.nextToken();
                if (t == null) return c; // an empty event, as readTree("") read it: nothing
                if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    p.skipChildren();
                    return c;
                }
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "id" -> c.id = text(p, t);
                        case "model" -> c.model = text(p, t);
                        case "usage" -> c.usage = tree(p, t);
                        case "error" -> c.error = t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL
                                ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : OpenAiCodec.JSON.readTree(p);
                        case "choices" -> c.choices(p, t);
                        default -> p.skipChildren();
                    }
                }
            }
            return c;
        }

        private void choices(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t) throws IOException {
            choice = false;
            content = null;
            toolCalls = null;
            finishReason = null;
            if (t != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
                p.skipChildren();
                return;
            }
            t = p.nextToken();
            if (t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) return;
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                p.skipChildren();
            } else {
                choice = true;
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    t = p.nextToken();
                    switch (field) {
                        case "delta" -> delta(p, t);
                        case "finish_reason" -> finishReason = text(p, t);
                        default -> p.skipChildren();
                    }
                }
            }
            while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) p.skipChildren();
        }

        private void delta(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t) throws IOException {
            content = null;
            toolCalls = null;
            if (t != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "content" -> {
                        content = t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : null;
                        p.skipChildren();
                    }
                    case "tool_calls" -> toolCalls = tree(p, t);
                    default -> p.skipChildren();
                }
            }
        }

        /** A scalar as {@code asText()} reads it; null for JSON null; containers as their (empty) text. */
        private static String text(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t) throws IOException {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            if (t.isScalarValue()) return t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? p.getText() : tree(p, t).asText();
            return tree(p, t).asText();
        }

        private static JsonNode tree(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken t) throws IOException {
            if (t == com.fasterxml.jackson.core.JsonToken.VALUE_NULL) return null;
            return OpenAiCodec.JSON.readTree(p);
        }
    }

    private static final class ToolCallBuilder {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
