package io.keel.test;

import io.keel.core.chat.ToolCall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake Anthropic Messages API ({@code POST /v1/messages}) speaking its wire format exactly: {@code message}
 * objects with content blocks ({@code text}, {@code tool_use}), and streams of {@code message_start},
 * {@code content_block_start}, {@code ping}, {@code content_block_delta} ({@code text_delta},
 * {@code input_json_delta}), {@code content_block_stop}, {@code message_delta} (with the output usage) and
 * {@code message_stop}. Like the real API it answers 400 when {@code anthropic-version} or {@code max_tokens} is
 * missing, 401 without {@code x-api-key}, and uses its {@code {"type":"error","error":{...}}} error shape.
 */
public final class FakeAnthropicServer extends FakeHttpServer<FakeAnthropicServer> {
    public FakeAnthropicServer() {
        super("fake-anthropic");
        start();
    }

    @Override
    protected void handle(RecordedRequest request, Exchange ex) throws IOException {
        if (!request.method().equals("POST") || !request.path().equals("/v1/messages")) {
            error(ex, 404, "not_found_error", "Not found", Map.of());
            return;
        }
        Map<String, Object> body = request.json();
        if (request.header("x-api-key") == null) {
            error(ex, 401, "authentication_error", "x-api-key header is required", Map.of());
            return;
        }
        if (request.header("anthropic-version") == null) {
            error(ex, 400, "invalid_request_error", "anthropic-version: header is required", Map.of());
            return;
        }
        if (!(body.get("max_tokens") instanceof Number)) {
            error(ex, 400, "invalid_request_error", "max_tokens: Field required", Map.of());
            return;
        }
        if (!(body.get("messages") instanceof List<?> msgs) || msgs.isEmpty()) {
            error(ex, 400, "invalid_request_error", "messages: Field required", Map.of());
            return;
        }
        Reply reply = nextReply(request);
        sleep(reply.firstByteDelay());
        switch (reply.fault()) {
            case HANG -> {
                ex.hang();
                return;
            }
            case RESET_BEFORE_RESPONSE -> {
                ex.reset();
                return;
            }
            default -> { }
        }
        if (reply.isError()) {
            String type = switch (reply.status()) {
                case 429 -> "rate_limit_error";
                case 529 -> "overloaded_error";
                case 401 -> "authentication_error";
                default -> reply.status() >= 500 ? "api_error" : "invalid_request_error";
            };
            error(ex, reply.status(), type, reply.errorMessage(), reply.headers());
            return;
        }
        String model = String.valueOf(body.get("model"));
        int input = reply.promptTokens(promptText(body));
        if (Boolean.TRUE.equals(body.get("stream"))) {
            stream(ex, reply, model, input);
        } else {
            complete(ex, reply, model, input);
        }
    }

    private void complete(Exchange ex, Reply reply, String model, int input) throws IOException {
        if (reply.fault() == Reply.Fault.MALFORMED_JSON) {
            ex.respond(200, "application/json", "{\"type\":\"message\",\"content\":[".getBytes(StandardCharsets.UTF_8),
                    Map.of());
            return;
        }
        List<Object> content = new ArrayList<>();
        if (!reply.content().isEmpty()) content.add(Map.of("type", "text", "text", reply.content()));
        for (ToolCall c : reply.toolCalls()) {
            content.add(Map.of("type", "tool_use", "id", c.id(), "name", c.name(), "input", JSON.readTree(c.arguments())));
        }
        Map<String, Object> msg = message(nextId("msg_"), model, content, stopReason(reply));
        msg.put("usage", usage(reply, input, reply.completionTokens()));
        ex.respond(200, "application/json", json(msg), reply.headers());
    }

    /** Anthropic counts cache reads apart: {@code input_tokens} are the uncached ones. */
    private static Map<String, Object> usage(Reply reply, int input, int output) {
        Map<String, Object> u = new java.util.LinkedHashMap<>();
        u.put("input_tokens", input - reply.cachedTokens());
        if (reply.cachedTokens() > 0) u.put("cache_read_input_tokens", reply.cachedTokens());
        u.put("output_tokens", output);
        return u;
    }

    private void stream(Exchange ex, Reply reply, String model, int input) throws IOException {
        ex.startEventStream(reply.headers());
        Map<String, Object> start = message(nextId("msg_"), model, List.of(), null);
        start.put("usage", usage(reply, input, 1));
        event(ex, "message_start", Map.of("type", "message_start", "message", start));
        int index = 0;
        if (!reply.content().isEmpty()) {
            event(ex, "content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "text", "text", "")));
            event(ex, "ping", Map.of("type", "ping"));
            if (reply.fault() == Reply.Fault.MALFORMED_JSON) {
                ex.chunk("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\n\n");
                ex.endChunks();
                return;
            }
            int sent = 0;
            for (String piece : reply.pieces()) {
                if (sent == reply.resetAfterChunks()) {
                    ex.resetMidStream();
                    return;
                }
                sleep(reply.chunkDelay());
                event(ex, "content_block_delta", Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "text_delta", "text", piece)));
                sent++;
            }
            event(ex, "content_block_stop", Map.of("type", "content_block_stop", "index", index));
            index++;
        }
        for (ToolCall c : reply.toolCalls()) {
            event(ex, "content_block_start", Map.of("type", "content_block_start", "index", index,
                    "content_block", Map.of("type", "tool_use", "id", c.id(), "name", c.name(), "input", Map.of())));
            String args = c.arguments();
            int half = args.length() / 2;
            for (String part : new String[] {args.substring(0, half), args.substring(half)}) {
                event(ex, "content_block_delta", Map.of("type", "content_block_delta", "index", index,
                        "delta", Map.of("type", "input_json_delta", "partial_json", part)));
            }
            event(ex, "content_block_stop", Map.of("type", "content_block_stop", "index", index));
            index++;
        }
        if (reply.resetAfterChunks() >= 0) {
            ex.resetMidStream();
            return;
        }
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", stopReason(reply));
        delta.put("stop_sequence", null);
        event(ex, "message_delta", Map.of("type", "message_delta", "delta", delta,
                "usage", Map.of("output_tokens", reply.completionTokens())));
        event(ex, "message_stop", Map.of("type", "message_stop"));
        ex.endChunks();
    }

    private static Map<String, Object> message(String id, String model, List<Object> content, String stopReason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", model);
        m.put("content", content);
        m.put("stop_reason", stopReason);
        m.put("stop_sequence", null);
        return m;
    }

    private static String stopReason(Reply reply) {
        return switch (reply.finishReason()) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            default -> "end_turn";
        };
    }

    private static void event(Exchange ex, String name, Map<String, Object> data) throws IOException {
        ex.chunk("event: " + name + "\ndata: " + new String(json(data), StandardCharsets.UTF_8) + "\n\n");
    }

    private static void error(Exchange ex, int status, String type, String message, Map<String, String> headers)
            throws IOException {
        ex.respond(status, "application/json",
                json(Map.of("type", "error", "error", Map.of("type", type, "message", message))), headers);
    }
}
