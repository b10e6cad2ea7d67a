package io.keel.test;

import io.keel.core.chat.ToolCall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible server speaking the Chat Completions and Embeddings wire formats exactly: {@code
 * chat.completion} objects, {@code chat.completion.chunk} server-sent events ending in {@code data: [DONE]}, a final
 * usage chunk with empty {@code choices} when the request sets {@code stream_options.include_usage}, and OpenAI's
 * error JSON. Routes: {@code POST .../chat/completions} (also Azure's {@code /openai/deployments/{name}/...}),
 * {@code POST .../embeddings}, {@code GET .../models}. Requests without {@code model} (outside Azure's deployment
 * routes) or without {@code messages} get a 400, as from the real service.
 *
 * <p>Embeddings are deterministic vectors derived from a hash of each text ({@link #vector}). Like Text Embeddings
 * Inference, the server can be given a largest batch ({@link #maxEmbeddingBatch}; a larger one is answered 413), a
 * model name it reports whatever the request asked for ({@link #embeddingModel}), a latency per batch
 * ({@link #embeddingLatency}) and per input ({@link #embeddingLatencyPerInput}), a number of batches it works on at once
 * ({@link #embeddingSlots}) and unnormalised vectors ({@link #embeddingNorm}); scripted {@link Reply replies} inject
 * 429 with {@code Retry-After}, 5xx, hangs and resets per request.
 *
 * <pre>{@code
 * try (var upstream = new FakeOpenAiServer()) {
 *     upstream.enqueue(Reply.rateLimited(Duration.ofMillis(200)), Reply.text("Hi there"));
 *     ... point a client at upstream.baseUri() + "/v1" ...
 * }
 * }</pre>
 */
public final class FakeOpenAiServer extends FakeHttpServer<FakeOpenAiServer> {
    private volatile int embeddingDimensions = 8;
    private volatile int maxEmbeddingBatch = Integer.MAX_VALUE;
    private volatile String embeddingModel;
    private volatile Duration embeddingLatency = Duration.ZERO;
    private volatile Duration embeddingLatencyPerInput = Duration.ZERO;
    private volatile Semaphore embeddingSlots;
    private volatile double embeddingNorm = 1.0;
    private final AtomicInteger embeddingsInFlight = new AtomicInteger();
    private final AtomicInteger maxEmbeddingsInFlight = new AtomicInteger();

    public FakeOpenAiServer() {
        super("fake-openai");
        start();
    }

    /** Length of the vectors {@code /embeddings} returns (default 8). */
    public FakeOpenAiServer embeddingDimensions(int dimensions) {
        this.embeddingDimensions = dimensions;
        return this;
    }

    /** Inputs per {@code /embeddings} request above which the server answers 413, as TEI's {@code --max-client-batch-size}. */
    public FakeOpenAiServer maxEmbeddingBatch(int max) {
        this.maxEmbeddingBatch = max;
        return this;
    }

    /** The model name {@code /embeddings} reports, whatever the request named (as TEI does); null echoes the request. */
    public FakeOpenAiServer embeddingModel(String model) {
        this.embeddingModel = model;
        return this;
    }

    /** Time each {@code /embeddings} request takes before its answer starts, on top of a reply's own delay. */
    public FakeOpenAiServer embeddingLatency(Duration latency) {
        this.embeddingLatency = latency;
        return this;
    }

    /**
     * Time each input of an {@code /embeddings} request adds to its latency, on top of {@link #embeddingLatency}: a
     * batch of n texts takes {@code latency + n * perInput}, as a GPU server's cost grows with the batch.
     */
    public FakeOpenAiServer embeddingLatencyPerInput(Duration perInput) {
        this.embeddingLatencyPerInput = perInput;
        return this;
    }

    /**
     * Requests the server works on at once (default: no limit); later ones wait for a free slot, as on a GPU server
     * that runs one batch at a time ({@code slots} = 1). The wait counts in the request's latency.
     */
    public FakeOpenAiServer embeddingSlots(int slots) {
        if (slots < 1) throw new IllegalArgumentException("slots must be >= 1");
        this.embeddingSlots = new Semaphore(slots, true);
        return this;
    }

    /** Length of the returned vectors (default 1: unit vectors); another value mimics a server that does not normalise. */
    public FakeOpenAiServer embeddingNorm(double norm) {
        this.embeddingNorm = norm;
        return this;
    }

    /**
     * A keel.yaml {@code models:} entry named {@code name} that calls this server: provider {@code openai}, model
     * {@code gpt-4o-mini}, one attempt per request, priced $1 input and $2 output per million tokens.
     */
    public Map<String, Object> modelEntry(String name) {
        return modelEntry(name, "gpt-4o-mini", 1.0, 2.0);
    }

    /**
     * A keel.yaml {@code models:} entry named {@code name} that asks this server for {@code upstreamModel}, one attempt
     * per request, priced per million input and output tokens.
     */
    public Map<String, Object> modelEntry(String name, String upstreamModel, double inputPer1m, double outputPer1m) {
        return Map.of("name", name, "provider", "openai", "model", upstreamModel,
                "endpoints", List.of(baseUri() + "/v1"), "retry", Map.of("max_attempts", 1),
                "price", Map.of("input_per_1m", inputPer1m, "output_per_1m", outputPer1m));
    }

    /** The most {@code /embeddings} requests this server was answering at the same time. */
    public int maxConcurrentEmbeddings() {
        return maxEmbeddingsInFlight.get();
    }

    @Override
    protected void handle(RecordedRequest request, Exchange ex) throws IOException {
        String path = request.path();
        if (request.method().equals("GET") && path.endsWith("/models")) {
            ex.respond(200, "application/json", json(Map.of("object", "list", "data",
                    List.of(Map.of("id", "fake-model", "object", "model", "created", 0, "owned_by", "keel-test")))),
                    Map.of());
            return;
        }
        if (!request.method().equals("POST")) {
            error(ex, 404, "invalid_request_error", "Unknown route " + request.method() + " " + path, Map.of());
            return;
        }
        if (path.endsWith("/chat/completions")) {
            chat(request, ex);
        } else if (path.endsWith("/embeddings")) {
            embeddings(request, ex);
        } else {
            error(ex, 404, "invalid_request_error", "Unknown route POST " + path, Map.of());
        }
    }

    private void chat(RecordedRequest request, Exchange ex) throws IOException {
        Map<String, Object> body = request.json();
        boolean azure = request.path().contains("/openai/deployments/");
        if (body.isEmpty()) {
            error(ex, 400, "invalid_request_error", "We could not parse the JSON body of your request.", Map.of());
            return;
        }
        if (!(body.get("messages") instanceof List<?> messages) || messages.isEmpty()) {
            error(ex, 400, "invalid_request_error", "Missing required parameter: 'messages'.", Map.of());
            return;
        }
        if (!azure && !(body.get("model") instanceof String)) {
            error(ex, 400, "invalid_request_error", "You must provide a model parameter.", Map.of());
            return;
        }
        Reply reply = nextReply(request);
        if (!preamble(reply, ex)) return;
        String model = azure ? deployment(request.path()) : (String) body.get("model");
        int prompt = reply.promptTokens(promptText(body));
        if (Boolean.TRUE.equals(body.get("stream"))) {
            boolean includeUsage = body.get("stream_options") instanceof Map<?, ?> so
                    && Boolean.TRUE.equals(so.get("include_usage"));
            stream(ex, reply, model, prompt, includeUsage && reply.reportsUsage());
        } else {
            complete(ex, reply, model, prompt);
        }
    }

    /** Applies delay and connection-level faults; false when the reply is finished. */
    private boolean preamble(Reply reply, Exchange ex) throws IOException {
        sleep(reply.firstByteDelay());
        switch (reply.fault()) {
            case HANG -> {
                ex.hang();
                return false;
            }
            case RESET_BEFORE_RESPONSE -> {
                ex.reset();
                return false;
            }
            default -> { }
        }
        if (reply.isError()) {
            error(ex, reply.status(), reply.errorType(), reply.errorMessage(), reply.headers());
            return false;
        }
        return true;
    }

    private void complete(Exchange ex, Reply reply, String model, int prompt) throws IOException {
        if (reply.fault() == Reply.Fault.MALFORMED_JSON) {
            ex.respond(200, "application/json", "{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":".getBytes(
                    StandardCharsets.UTF_8), reply.headers());
            return;
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", reply.content().isEmpty() && !reply.toolCalls().isEmpty() ? null : reply.content());
        if (!reply.toolCalls().isEmpty()) message.put("tool_calls", toolCalls(reply.toolCalls()));
        message.put("refusal", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", reply.finishReason());
        Map<String, Object> out = head(nextId("chatcmpl-"), "chat.completion", model);
        out.put("choices", List.of(choice));
        if (reply.reportsUsage()) out.put("usage", usage(prompt, reply.completionTokens(), reply.cachedTokens()));
        out.put("system_fingerprint", null);
        byte[] body = json(out);
        if (reply.resetAfterChunks() >= 0) {
            ex.startEventStream(Map.of());
            ex.reset();
            return;
        }
        ex.respond(200, "application/json", body, reply.headers());
    }

    private void stream(Exchange ex, Reply reply, String model, int prompt, boolean usage) throws IOException {
        String id = nextId("chatcmpl-");
        ex.startEventStream(reply.headers());
        Map<String, Object> roleDelta = new LinkedHashMap<>();
        roleDelta.put("role", "assistant");
        roleDelta.put("content", "");
        roleDelta.put("refusal", null);
        send(ex, chunk(id, model, roleDelta, null, usage));
        if (reply.fault() == Reply.Fault.MALFORMED_JSON) {
            ex.chunk("data: {\"id\":\"" + id + "\",\"choices\":[{\"delta\":{\"content\":\"oops\n\n");
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
            send(ex, chunk(id, model, Map.of("content", piece), null, usage));
            sent++;
        }
        List<ToolCall> calls = reply.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            ToolCall c = calls.get(i);
            Map<String, Object> first = new LinkedHashMap<>();
            first.put("index", i);
            first.put("id", c.id());
            first.put("type", "function");
            first.put("function", Map.of("name", c.name(), "arguments", ""));
            send(ex, chunk(id, model, Map.of("tool_calls", List.of(first)), null, usage));
            String args = c.arguments();
            int half = args.length() / 2;
            for (String part : new String[] {args.substring(0, half), args.substring(half)}) {
                send(ex, chunk(id, model, Map.of("tool_calls",
                        List.of(Map.of("index", i, "function", Map.of("arguments", part)))), null, usage));
            }
        }
        if (reply.resetAfterChunks() >= 0) {
            ex.resetMidStream();
            return;
        }
        send(ex, chunk(id, model, Map.of(), reply.finishReason(), usage));
        if (usage) {
            Map<String, Object> last = head(id, "chat.completion.chunk", model);
            last.put("system_fingerprint", null);
            last.put("choices", List.of());
            last.put("usage", usage(prompt, reply.completionTokens(), reply.cachedTokens()));
            send(ex, last);
        }
        ex.chunk("data: [DONE]\n\n");
        ex.endChunks();
    }

    private void embeddings(RecordedRequest request, Exchange ex) throws IOException {
        Map<String, Object> body = request.json();
        Object input = body.get("input");
        List<String> texts = new ArrayList<>();
        if (input instanceof String s) texts.add(s);
        else if (input instanceof List<?> l) l.forEach(o -> texts.add(String.valueOf(o)));
        if (texts.isEmpty()) {
            error(ex, 400, "invalid_request_error", "'input' must be a non-empty string or array.", Map.of());
            return;
        }
        if (texts.size() > maxEmbeddingBatch) {
            // Text Embeddings Inference's answer to a batch over --max-client-batch-size, on its OpenAI route.
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("message", "batch size " + texts.size() + " > maximum allowed batch size " + maxEmbeddingBatch);
            err.put("code", 413);
            err.put("error_type", "Validation");
            ex.respond(413, "application/json", json(err), Map.of());
            return;
        }
        Semaphore slots = embeddingSlots;
        if (slots != null) slots.acquireUninterruptibly();
        int inFlight = embeddingsInFlight.incrementAndGet();
        maxEmbeddingsInFlight.accumulateAndGet(inFlight, Math::max);
        try {
            sleep(embeddingLatency.plus(embeddingLatencyPerInput.multipliedBy(texts.size())));
            answerEmbeddings(body, texts, request, ex);
        } finally {
            embeddingsInFlight.decrementAndGet();
            if (slots != null) slots.release();
        }
    }

    private void answerEmbeddings(Map<String, Object> body, List<String> texts, RecordedRequest request, Exchange ex)
            throws IOException {
        Reply reply = nextReply();
        if (!preamble(reply, ex)) return;
        List<Object> data = new ArrayList<>();
        int tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            float[] v = vector(texts.get(i), embeddingDimensions);
            if (embeddingNorm != 1.0) for (int d = 0; d < v.length; d++) v[d] *= (float) embeddingNorm;
            data.add(Map.of("object", "embedding", "index", i, "embedding", v));
            tokens += texts.get(i).isBlank() ? 0 : texts.get(i).strip().split("\\s+").length;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", "list");
        out.put("data", data);
        String reported = embeddingModel;
        out.put("model", reported != null ? reported : body.getOrDefault("model", deployment(request.path())));
        out.put("usage", Map.of("prompt_tokens", tokens, "total_tokens", tokens));
        ex.respond(200, "application/json", json(out), reply.headers());
    }

    /** A deterministic unit vector derived from the text, so equal texts embed equally. */
    public static float[] vector(String text, int dimensions) {
        float[] v = new float[dimensions];
        long seed = text.hashCode() * 0x9E3779B97F4A7C15L;
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            v[i] = (seed % 1000) / 1000f;
            norm += v[i] * v[i];
        }
        float n = (float) Math.sqrt(norm == 0 ? 1 : norm);
        for (int i = 0; i < dimensions; i++) v[i] /= n;
        return v;
    }

    private static String deployment(String path) {
        int at = path.indexOf("/deployments/");
        if (at < 0) return "fake-model";
        String rest = path.substring(at + "/deployments/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static Map<String, Object> head(String id, String object, String model) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", object);
        m.put("created", System.currentTimeMillis() / 1000);
        m.put("model", model);
        return m;
    }

    private static Map<String, Object> chunk(String id, String model, Map<String, Object> delta, String finish,
                                             boolean usageField) {
        Map<String, Object> c = head(id, "chat.completion.chunk", model);
        c.put("system_fingerprint", null);
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finish);
        c.put("choices", List.of(choice));
        if (usageField) c.put("usage", null);
        return c;
    }

    private static void send(Exchange ex, Map<String, Object> event) throws IOException {
        ex.chunk("data: " + new String(json(event), StandardCharsets.UTF_8) + "\n\n");
    }

    private static List<Object> toolCalls(List<ToolCall> calls) {
        List<Object> out = new ArrayList<>();
        for (ToolCall c : calls) {
            out.add(Map.of("id", c.id(), "type", "function",
                    "function", Map.of("name", c.name(), "arguments", c.arguments())));
        }
        return out;
    }

    private static Map<String, Object> usage(int prompt, int completion, int cached) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        if (cached > 0) u.put("prompt_tokens_details", Map.of("cached_tokens", cached));
        return u;
    }

    private static void error(Exchange ex, int status, String type, String message, Map<String, String> headers)
            throws IOException {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("message", message);
        err.put("type", type);
        err.put("param", null);
        err.put("code", status == 429 ? "rate_limit_exceeded" : null);
        ex.respond(status, "application/json", json(Map.of("error", err)), headers);
    }
}
