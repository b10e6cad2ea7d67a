package io.keel.test;

import io.keel.core.chat.ToolCall;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fake model server does with one request: answer (in one piece or streamed, as the request asks), answer
 * with an HTTP error, or misbehave. Immutable; the {@code with...} methods return modified copies.
 */
public final class Reply {
    /** How the reply misbehaves, if at all. */
    public enum Fault {
        /** Answer normally. */
        NONE,
        /** Accept the request and never answer (until the server closes). */
        HANG,
        /** Reset the connection (TCP RST) without answering. */
        RESET_BEFORE_RESPONSE,
        /** Answer 200 with a body that is not valid JSON (for a stream: a data line that is not JSON). */
        MALFORMED_JSON
    }

    private static final Pattern PIECE = Pattern.compile("\\s*\\S+");

    // Set only while a copy is being made (see copy()); a Reply handed out is never changed.
    private String content;
    private List<ToolCall> toolCalls = List.of();
    private int status = 200;
    private String errorType;
    private String errorMessage;
    private Map<String, String> headers = Map.of();
    private Integer promptTokens;
    private Integer completionTokens;
    private boolean usage = true;
    private String finishReason;
    private Duration firstByteDelay = Duration.ZERO;
    private Duration chunkDelay = Duration.ZERO;
    private int resetAfterChunks = -1;
    private Fault fault = Fault.NONE;
    private int cachedTokens;

    private Reply(String content) {
        this.content = Objects.requireNonNull(content);
    }

    private Reply(Reply other) {
        this.content = other.content;
        this.toolCalls = other.toolCalls;
        this.status = other.status;
        this.errorType = other.errorType;
        this.errorMessage = other.errorMessage;
        this.headers = other.headers;
        this.promptTokens = other.promptTokens;
        this.completionTokens = other.completionTokens;
        this.usage = other.usage;
        this.finishReason = other.finishReason;
        this.firstByteDelay = other.firstByteDelay;
        this.chunkDelay = other.chunkDelay;
        this.resetAfterChunks = other.resetAfterChunks;
        this.fault = other.fault;
        this.cachedTokens = other.cachedTokens;
    }

    /** A copy of this reply with {@code change} applied to it. */
    private Reply copy(Consumer<Reply> change) {
        Reply r = new Reply(this);
        change.accept(r);
        return r;
    }

    /** A 200 answer with this text; streamed one word (with its leading space) per chunk. */
    public static Reply text(String content) {
        return new Reply(content);
    }

    /** A 200 answer that calls one tool. */
    public static Reply toolCall(String id, String name, String argumentsJson) {
        return text("").withToolCalls(List.of(new ToolCall(id, name, argumentsJson)));
    }

    /** An HTTP error with the provider's error JSON. */
    public static Reply status(int status, String message) {
        String type = switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
        return new Reply("").copy(r -> {
            r.status = status;
            r.errorType = type;
            r.errorMessage = message;
        });
    }

    public static Reply status(int status) {
        return status(status, "injected HTTP " + status);
    }

    /** 429 with {@code Retry-After} in whole seconds, or in fractional seconds when below one second. */
    public static Reply rateLimited(Duration retryAfter) {
        long ms = retryAfter.toMillis();
        String value = ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
        return status(429, "Rate limit reached; retry later").withHeader("Retry-After", value);
    }

    public static Reply hang() {
        return text("").withFault(Fault.HANG);
    }

    public static Reply resetBeforeResponse() {
        return text("").withFault(Fault.RESET_BEFORE_RESPONSE);
    }

    public static Reply malformedJson() {
        return text("unused").withFault(Fault.MALFORMED_JSON);
    }

    public Reply withToolCalls(List<ToolCall> calls) {
        return copy(r -> r.toolCalls = List.copyOf(calls));
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> h = new java.util.HashMap<>(headers);
        h.put(name, value);
        return copy(r -> r.headers = Map.copyOf(h));
    }

    /** Report exactly these token counts. */
    public Reply withUsage(int prompt, int completion) {
        return copy(r -> {
            r.promptTokens = prompt;
            r.completionTokens = completion;
            r.usage = true;
        });
    }

    /** Report no usage at all, even when the request asks for it (as some OpenAI-compatible servers do). */
    public Reply withoutUsage() {
        return copy(r -> r.usage = false);
    }

    /** Override the finish reason (OpenAI vocabulary; the Anthropic fake maps it to a stop_reason). */
    public Reply withFinishReason(String reason) {
        return copy(r -> r.finishReason = reason);
    }

    /** Wait this long before sending the status line. */
    public Reply withFirstByteDelay(Duration delay) {
        return copy(r -> r.firstByteDelay = delay);
    }

    /** Wait this long between stream chunks. */
    public Reply withChunkDelay(Duration delay) {
        return copy(r -> r.chunkDelay = delay);
    }

    /** Stream this many content chunks, then reset the connection (TCP RST) without finishing. */
    public Reply withResetAfterChunks(int chunks) {
        return copy(r -> r.resetAfterChunks = chunks);
    }

    /** Report this many of the prompt tokens as read from the provider's prompt cache. */
    public Reply withCachedTokens(int cached) {
        return copy(r -> r.cachedTokens = cached);
    }

    /** Prompt tokens reported as cached (0 unless {@link #withCachedTokens} set them). */
    public int cachedTokens() {
        return cachedTokens;
    }

    public Reply withFault(Fault f) {
        return copy(r -> r.fault = f);
    }

    public String content() {
        return content;
    }

    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    public int status() {
        return status;
    }

    public boolean isError() {
        return status >= 400;
    }

    public String errorType() {
        return errorType;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public boolean reportsUsage() {
        return usage;
    }

    /** The prompt tokens reported: as set, or the number of whitespace-separated words in {@code promptText}. */
    public int promptTokens(String promptText) {
        if (promptTokens != null) return promptTokens;
        String t = promptText.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** The completion tokens reported: as set, or one per streamed piece (tool calls count one each). */
    public int completionTokens() {
        return completionTokens != null ? completionTokens : pieces().size() + toolCalls.size();
    }

    /** The finish reason in OpenAI's vocabulary. */
    public String finishReason() {
        if (finishReason != null) return finishReason;
        return toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    public Duration firstByteDelay() {
        return firstByteDelay;
    }

    public Duration chunkDelay() {
        return chunkDelay;
    }

    /** Content chunks to send before a reset, or -1 for none. */
    public int resetAfterChunks() {
        return resetAfterChunks;
    }

    public Fault fault() {
        return fault;
    }

    /** The content split the way it is streamed: each word with the whitespace before it. */
    public List<String> pieces() {
        List<String> out = new ArrayList<>();
        Matcher m = PIECE.matcher(content);
        while (m.find()) out.add(m.group());
        return out;
    }
}
