package io.keel.openai.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamFlush;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.budget.SpendControl;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.guard.GuardVerdict;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import io.keel.http.Attribution;
import io.keel.http.ErrorHandling;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;
import io.keel.model.ModelGateway;
import io.keel.openai.protocol.OpenAiCodec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keel's OpenAI-compatible API, so any OpenAI SDK can use Keel as its base URL:
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: configured models through the {@link ModelGateway} (with retries, fallback
 *       and pricing), streamed as {@code chat.completion.chunk} events when {@code "stream": true}, with a final usage
 *       chunk when {@code stream_options.include_usage} is set; and {@code rag:NAME} models answered by a RAG
 *       pipeline through {@link RagModels}, with an extra {@code citations} field.</li>
 *   <li>{@code POST /v1/embeddings}: the embedded embedding model, or an {@code embedding} model configured in the
 *       gateway ({@code float} or {@code base64} encoding).</li>
 *   <li>{@code GET /v1/models}: every model name the routes above accept.</li>
 * </ul>
 * Errors use OpenAI's shape {@code {"error":{"message","type","param","code"}}} with the status of the
 * {@link ErrorCode}; invalid input is a 4xx with a message saying what to fix, never a stack trace. A stream that
 * breaks after it started ends with an {@code error} event and no {@code [OpenAiHttp.DONE]}, so SDKs raise instead of returning a
 * truncated answer; it is written to the request log as failed, with its partial usage.
 *
 * <pre>{@code
 * WebServer.builder().routing(r -> r.register(OpenAiApiService.builder().gateway(gateway).embedder(embedder)
 *         .rag(ragModels).requestLog(log).build())).build().start();
 * }</pre>
 */
public final class OpenAiApiService implements HttpService {
    /** The prefix of model names that address a RAG pipeline. */
    public static final String RAG_PREFIX = "rag:";
    private static final String ROUTE_CHAT = "/v1/chat/completions";

    private final ModelGateway gateway;
    private final Embedder embedder;
    private final RagModels rag;
    private final RequestLog log;
    private final long created = Instant.now().getEpochSecond();
    private final long maxBodyBytes;
    private final ChatGuard guard;
    private final SpendControl spend;
    private final EmbeddingsRoute embeddings;

    private OpenAiApiService(Builder b) {
        this.gateway = b.gateway;
        this.embedder = b.embedder;
        this.rag = b.rag;
        this.log = b.log;
        this.maxBodyBytes = b.maxBodyBytes;
        this.guard = b.guard;
        this.spend = b.spend;
        this.embeddings = new EmbeddingsRoute(b.gateway, b.embedder, b.log, b.maxBodyBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(ROUTE_CHAT, ErrorHandling.guarded(this::chat, OpenAiErrors.ENVELOPE))
                .post(EmbeddingsRoute.ROUTE, ErrorHandling.guarded(embeddings::handle, OpenAiErrors.ENVELOPE))
                .get("/v1/models", ErrorHandling.guarded(this::models, OpenAiErrors.ENVELOPE));
    }

    // ---- /v1/chat/completions

    private void chat(ServerRequest req, ServerResponse res) {
        String id = OpenAiHttp.newId();
        long start = System.nanoTime();
        ChatRequest request;
        boolean stream;
        boolean includeUsage;
        Caller caller = Attribution.callerOrReject(req, res, OpenAiErrors.ENVELOPE);
        if (caller == null) return;
        try {
            JsonNode body = RequestBody.parseObject(RequestBody.read(req, maxBodyBytes, OpenAiErrors.BODY_LIMIT), OpenAiCodec.JSON);
            request = OpenAiCodec.readRequest(body);
            JsonNode s = body.get("stream");
            if (s != null && !s.isNull() && !s.isBoolean()) throw new IllegalArgumentException("'stream' must be a boolean");
            stream = s != null && s.asBoolean(false);
            includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
            JsonNode n = body.get("n");
            if (n != null && !n.isNull() && n.asInt(0) != 1) {
                HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.UNSUPPORTED_CAPABILITY, "'n' must be 1: Keel returns one choice per request");
                return;
            }
        } catch (IllegalArgumentException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST, e.getMessage());
            return;
        }
        Call call = new Call(id, caller, start);
        if (request.model().startsWith(RAG_PREFIX)) {
            rag(call, request, stream, includeUsage, res);
            return;
        }
        if (gateway == null || !gateway.has(request.model())) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + request.model() + "' does not exist; GET /v1/models lists the available ones");
            return;
        }
        ChatMessage last = request.messages().getLast();
        if (last.role() == ChatMessage.Role.USER && last.content() != null) {
            GuardVerdict verdict = guard.input(last.content());
            call.guard(verdict);
            if (verdict.decision() == GuardVerdict.Decision.BLOCK) {
                refuse(call, request, stream, includeUsage, verdict, res);
                return;
            }
            if (verdict.decision() == GuardVerdict.Decision.REDACT) {
                List<ChatMessage> messages = new ArrayList<>(request.messages());
                messages.set(messages.size() - 1, new ChatMessage(last.role(), verdict.text(), last.toolCalls(), last.toolCallId(), last.name()));
                request = request.withMessages(messages);
            }
        }
        SpendControl.Hold hold;
        try {
            hold = spend.reserve(caller, request);
        } catch (KeelException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e.code(), e.getMessage());
            record(call, request, e.code().wireName(), e.getMessage(), Usage.ZERO, null);
            return;
        }
        if (stream) {
            gateway.stream(request, new SseRelay(call, request, includeUsage, res, guard.stream(), hold));
            return;
        }
        try {
            ChatResponse r;
            try {
                r = gateway.chat(request);
            } catch (RuntimeException e) {
                hold.settle(Usage.ZERO);
                throw e;
            }
            hold.settle(r.usage());
            GuardVerdict out = guard.output(r.content());
            call.guard(out);
            if (out.decision() != GuardVerdict.Decision.ALLOW) {
                r = r.withContent(out.text(), out.decision() == GuardVerdict.Decision.BLOCK ? "content_filter" : r.finishReason());
            }
            HttpJson.sendBytes(res, 200, OpenAiCodec.writeResponseBytes(r.withModel(request.model()), created, id));
            call.answer = r.content();
            record(call, request, "ok", null, r.usage(), modelLineage(r.model()));
        } catch (KeelException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e.code(), e.getMessage());
            record(call, request, e.code().wireName(), e.getMessage(), Usage.ZERO, null);
        }
    }

    /** A blocked question is answered, not failed: the refusal is the assistant's message, finish reason content_filter. */
    private void refuse(Call call, ChatRequest request, boolean stream, boolean includeUsage, GuardVerdict verdict,
                        ServerResponse res) {
        String id = call.id;
        ChatResponse r = new ChatResponse(id, request.model(), verdict.text(), List.of(), "content_filter", Usage.ZERO);
        if (!stream) {
            HttpJson.send(res, 200, OpenAiCodec.writeResponse(r, created), OpenAiCodec.JSON);
        } else {
            try (OutputStream out = OpenAiHttp.openStream(res)) {
                ObjectNode delta = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", verdict.text());
                OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, request.model(), created, delta, null, includeUsage));
                OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, request.model(), created, OpenAiCodec.JSON.createObjectNode(),
                        "content_filter", includeUsage));
                if (includeUsage) OpenAiHttp.event(out, OpenAiCodec.writeUsageChunk(id, request.model(), created, Usage.ZERO));
                out.write(OpenAiHttp.DONE);
            } catch (IOException | UncheckedIOException e) {
                // the client is gone; the refusal is recorded below
            }
        }
        call.answer = verdict.text();
        record(call, request, "blocked", verdict.reason(), Usage.ZERO, null);
    }

    private void rag(Call call, ChatRequest request, boolean stream, boolean includeUsage, ServerResponse res) {
        String id = call.id;
        String pipeline = request.model().substring(RAG_PREFIX.length());
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.getLast();
        if (last.role() != ChatMessage.Role.USER || last.content() == null || last.content().isBlank()) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST, "a rag: model answers the last message, which must be a non-empty user message");
            return;
        }
        Answer answer;
        try {
            Optional<Answer> a = rag.answer(pipeline, last.content(), messages.subList(0, messages.size() - 1), call.caller);
            if (a.isEmpty()) {
                HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + request.model() + "' does not exist: no RAG pipeline named '"
                        + pipeline + "'; GET /v1/models lists the available ones");
                return;
            }
            answer = a.get();
        } catch (KeelException e) {
            // the pipeline's own request-log record holds this failure
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e.code(), e.getMessage());
            return;
        }
        ArrayNode citations = citations(answer.citations());
        if (!stream) {
            ChatResponse r = new ChatResponse(id, request.model(), answer.text(), List.of(), "stop", answer.usage());
            ObjectNode body = OpenAiCodec.writeResponse(r, created);
            body.set("citations", citations);
            HttpJson.send(res, 200, body, OpenAiCodec.JSON);
        } else {
            try (OutputStream out = OpenAiHttp.openStream(res)) {
                ObjectNode role = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", "");
                OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, request.model(), created, role, null, includeUsage));
                if (!answer.text().isEmpty()) {
                    OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, request.model(), created,
                            OpenAiCodec.JSON.createObjectNode().put("content", answer.text()), null, includeUsage));
                }
                ObjectNode fin = OpenAiCodec.writeChunk(id, request.model(), created, OpenAiCodec.JSON.createObjectNode(),
                        "stop", includeUsage);
                fin.set("citations", citations);
                OpenAiHttp.event(out, fin);
                if (includeUsage) OpenAiHttp.event(out, OpenAiCodec.writeUsageChunk(id, request.model(), created, answer.usage()));
                out.write(OpenAiHttp.DONE);
            } catch (IOException | UncheckedIOException e) {
                // the pipeline recorded the answer; the client closing the stream early is not a second request
            }
        }
    }

    private static ArrayNode citations(List<Citation> citations) {
        ArrayNode arr = OpenAiCodec.JSON.createArrayNode();
        for (int i = 0; i < citations.size(); i++) {
            Citation c = citations.get(i);
            ObjectNode n = arr.addObject();
            n.put("index", i + 1);
            n.put("document_id", c.documentId());
            n.put("chunk_id", c.chunkId());
            n.put("source", c.source());
            n.put("score", c.score());
            n.put("text", c.text());
        }
        return arr;
    }

    /**
     * Writes a gateway stream as {@code chat.completion.chunk} events. The response is committed at the first token:
     * a failure before it is answered as a plain HTTP error, one after it as an {@code error} event.
     */
    private final class SseRelay implements StreamListener {
        private final Call call;
        private final String id;
        private final ChatRequest request;
        private final boolean includeUsage;
        private final ServerResponse res;
        private final ChatGuard.OutputFilter filter;
        private final SpendControl.Hold hold;
        private final StringBuilder sent = new StringBuilder();
        private OutputStream out;
        private boolean clientGone;
        private boolean blocked;

        SseRelay(Call call, ChatRequest request, boolean includeUsage, ServerResponse res, ChatGuard.OutputFilter filter,
                 SpendControl.Hold hold) {
            this.call = call;
            this.id = call.id;
            this.request = request;
            this.includeUsage = includeUsage;
            this.res = res;
            this.filter = filter;
            this.hold = hold;
        }

        /** Sends what the output filter releases; after a block the rest of the upstream stream is dropped. */
        private void release(ChatGuard.Release r) {
            if (!r.text().isEmpty()) {
                sent.append(r.text());
                if (OpenAiHttp.hasSurrogate(r.text())) {
                    // Jackson's byte generator escapes surrogate pairs; keep its exact bytes for these
                    write(OpenAiCodec.writeChunk(id, request.model(), created,
                            OpenAiCodec.JSON.createObjectNode().put("content", r.text()), null, includeUsage));
                } else {
                    writeContent(r.text());
                }
            }
            blocked |= r.blocked();
        }

        /**
         * Opens the stream with the role chunk, left in the buffer: it leaves with the caller's next flushed write.
         *
         * @return whether the stream was opened now
         */
        private boolean begin() {
            if (out != null) return false;
            out = OpenAiHttp.openStream(res);
            ObjectNode role = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", "");
            write(OpenAiCodec.writeChunk(id, request.model(), created, role, null, includeUsage), false);
            return true;
        }

        @Override
        public void onToken(String token) {
            boolean opened = begin();
            int before = sent.length();
            if (!blocked) release(filter.accept(token));
            if (opened && sent.length() == before) {
                // the filter held the token back: send the role chunk now, as before
                try {
                    out.flush();
                } catch (IOException | UncheckedIOException e) {
                    clientGone = true;
                    throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
                }
            }
        }

        @Override
        public void onToolCallDelta(ToolCallDelta d) {
            begin();
            ObjectNode call = OpenAiCodec.JSON.createObjectNode().put("index", d.index());
            if (d.id() != null) call.put("id", d.id()).put("type", "function");
            ObjectNode fn = call.putObject("function");
            if (d.name() != null) fn.put("name", d.name());
            fn.put("arguments", d.argumentsDelta());
            ObjectNode delta = OpenAiCodec.JSON.createObjectNode();
            delta.putArray("tool_calls").add(call);
            write(OpenAiCodec.writeChunk(id, request.model(), created, delta, null, includeUsage));
        }

        @Override
        public void onComplete(ChatResponse r) {
            hold.settle(r.usage());
            try {
                begin();
                if (!blocked) release(filter.finish());
                String finish = blocked ? "content_filter" : r.finishReason() == null ? "stop" : r.finishReason();
                // the last events leave together: close() flushes them
                write(OpenAiCodec.writeChunk(id, request.model(), created, OpenAiCodec.JSON.createObjectNode(),
                        finish, includeUsage), false);
                if (includeUsage) write(OpenAiCodec.writeUsageChunk(id, request.model(), created, r.usage()), false);
                out.write(OpenAiHttp.DONE);
                out.close();
                call.answer = sent.toString();
                record(call, request, "ok", null, r.usage(), modelLineage(r.model()));
            } catch (IOException | UncheckedIOException e) {
                call.answer = sent.toString();
                record(call, request, ErrorCode.UPSTREAM_ERROR.wireName(), "client went away: " + e.getMessage(),
                        r.usage(), modelLineage(r.model()));
            }
        }

        @Override
        public void onError(Throwable error) {
            KeelException e = error instanceof KeelException k ? k
                    : new KeelException(ErrorCode.INTERNAL, "stream failed: " + error.getClass().getSimpleName());
            Usage usage = e instanceof StreamFailedException sf && sf.partial().usage() != null ? sf.partial().usage() : Usage.ZERO;
            String status = e instanceof StreamFailedException sf ? sf.upstreamCode().wireName() : e.code().wireName();
            hold.settle(usage);
            call.answer = sent.toString();
            record(call, request, status, e.getMessage(), usage,
                    e instanceof StreamFailedException sf && sf.partial().model() != null ? modelLineage(sf.partial().model()) : null);
            if (out == null) {
                HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e.code(), e.getMessage());
                return;
            }
            try {
                out.write(("data: " + OpenAiCodec.toJson(OpenAiErrors.ENVELOPE.body(e.code(), e.getMessage())) + "\n\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.close();
            } catch (IOException | UncheckedIOException ignored) {
                // the client is gone; the failure is recorded
            }
        }

        private void write(ObjectNode chunk) {
            write(chunk, true);
        }

        private void write(ObjectNode chunk, boolean flush) {
            if (clientGone) throw new UncheckedIOException(new IOException("client closed the stream"));
            try {
                OpenAiHttp.event(out, chunk, flush);
            } catch (IOException | UncheckedIOException e) {
                clientGone = true;
                throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
            }
        }

        /** The deferred flush: a failure marks the client gone, as a failed write does. */
        private final java.io.Flushable flusher = () -> {
            try {
                out.flush();
            } catch (IOException | UncheckedIOException e) {
                clientGone = true;
                throw e;
            }
        };

        private byte[] contentPrefix;
        private byte[] contentSuffix;

        /**
         * Writes a text-delta chunk, the bytes {@code writeChunk} + {@code event} would write, from a prefix and suffix
         * encoded once per stream: only the text is escaped per token.
         */
        private void writeContent(String text) {
            if (clientGone) throw new UncheckedIOException(new IOException("client closed the stream"));
            if (contentPrefix == null) {
                contentPrefix = ("data: {\"id\":" + OpenAiHttp.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
                        + ",\"model\":" + OpenAiHttp.quote(request.model()) + ",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                        .getBytes(StandardCharsets.UTF_8);
                contentSuffix = ("\"},\"logprobs\":null,\"finish_reason\":null}]" + (includeUsage ? ",\"usage\":null" : "") + "}\n\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            byte[] t = com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(text);
            try {
                // the response stream is buffered: the writes leave as one chunk at the flush, which waits until the
                // upstream reader has no more received events to relay (StreamFlush), so events that arrived together
                // leave together
                out.write(contentPrefix);
                out.write(t);
                out.write(contentSuffix);
                if (!StreamFlush.defer(flusher)) out.flush();
            } catch (IOException | UncheckedIOException e) {
                clientGone = true;
                throw e instanceof UncheckedIOException u ? u : new UncheckedIOException((IOException) e);
            }
        }
    }

    // ---- /v1/models

    private void models(ServerRequest req, ServerResponse res) {
        ObjectNode out = OpenAiCodec.JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        if (gateway != null) {
            gateway.modelNames().forEach(n -> model(data, n));
            gateway.embeddingModelNames().forEach(n -> model(data, n));
        }
        rag.pipelines().forEach(p -> model(data, RAG_PREFIX + p));
        if (embedder != null) model(data, embedder.info().id());
        HttpJson.send(res, 200, out, OpenAiCodec.JSON);
    }

    private void model(ArrayNode data, String id) {
        data.addObject().put("id", id).put("object", "model").put("created", created).put("owned_by", "keel");
    }

    /** @param lineage what produced the answer; for a plain model call, the model that answered (null: the one asked for) */
    private void record(Call call, ChatRequest request, String status, String error, Usage usage, Lineage lineage) {
        if (log == RequestLog.NONE) return; // nothing would keep the record: don't build it
        String question = "";
        for (ChatMessage m : request.messages()) {
            if (m.role() == ChatMessage.Role.USER && m.content() != null) question = m.content();
        }
        long elapsed = System.nanoTime() - call.start;
        Lineage l = lineage != null ? lineage : modelLineage(request.model());
        if (call.policyVersion != null) l = l.withGuardPolicy(call.policyVersion);
        try {
            log.record(RequestRecord.builder(call.id, ROUTE_CHAT).time(call.received).caller(call.caller)
                    .status(status).error(error).question(question).answer(call.answer).usage(usage)
                    .timings(new Timings(Map.of(Timings.INFERENCE, elapsed, Timings.TOTAL, elapsed)))
                    .lineage(l).findings(List.copyOf(call.findings)).build());
        } catch (RuntimeException ignored) {
            // the request log must not fail a served request
        }
    }

    private Lineage modelLineage(String model) {
        return new Lineage("none", "none", model, gateway == null ? null : gateway.versionOf(model), null, "none", null, null,
                null, Map.of());
    }

    /** What one chat request accumulates for its request-log record; confined to the request's thread(s) in turn. */
    private static final class Call {
        final String id;
        final Caller caller;
        final long start;
        final Instant received = Instant.now();
        final Set<String> findings = new LinkedHashSet<>();
        String policyVersion;
        String answer;

        Call(String id, Caller caller, long start) {
            this.id = id;
            this.caller = caller;
            this.start = start;
        }

        void guard(GuardVerdict v) {
            v.findings().forEach(f -> findings.add(f.type()));
            if (v.policyVersion() != null && !"none".equals(v.policyVersion())) policyVersion = v.policyVersion();
        }
    }

    /** Assembles the service; every part is optional. */
    public static final class Builder {
        private ModelGateway gateway;
        private Embedder embedder;
        private RagModels rag = RagModels.NONE;
        private RequestLog log = RequestLog.NONE;
        private long maxBodyBytes = 16L << 20;
        private ChatGuard guard = ChatGuard.NONE;
        private SpendControl spend = SpendControl.NONE;

        /** Budgets reserved before each configured-model call and settled when it ends. */
        public Builder spend(SpendControl s) {
            this.spend = Objects.requireNonNull(s, "spend");
            return this;
        }

        /** Guards for the answers of configured models (input, whole output, streamed output). */
        public Builder guard(ChatGuard g) {
            this.guard = Objects.requireNonNull(g, "guard");
            return this;
        }

        /** Largest request body read (default 16 MiB); larger bodies are refused with 413. */
        public Builder maxBodyBytes(long bytes) {
            if (bytes < 1) throw new IllegalArgumentException("maxBodyBytes must be >= 1");
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Configured chat models; without one only {@code rag:} models are served. */
        public Builder gateway(ModelGateway g) {
            this.gateway = g;
            return this;
        }

        /** The embedded embedding model, served under its {@code info().id()} (e.g. {@code all-minilm-l6-v2}). */
        public Builder embedder(Embedder e) {
            this.embedder = e;
            return this;
        }

        public Builder rag(RagModels r) {
            this.rag = Objects.requireNonNull(r, "rag");
            return this;
        }

        /** Where every chat completion is recorded, succeeded or failed. */
        public Builder requestLog(RequestLog l) {
            this.log = Objects.requireNonNull(l, "requestLog");
            return this;
        }

        public OpenAiApiService build() {
            return new OpenAiApiService(this);
        }
    }
}
