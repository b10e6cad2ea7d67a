package io.keel.openai.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Citation;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.guard.Guard;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.Trail;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ChatRoute;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.RequestLog;
import io.keel.http.Attribution;
import io.keel.http.ErrorHandling;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;
import io.keel.model.ModelGateway;
import io.keel.openai.protocol.OpenAiCodec;

import java.io.IOException;
import io.keel.core.security.ModelAccess;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keel's OpenAI-compatible API, so any OpenAI SDK can use Keel as its base URL:
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: configured models through the {@link ModelGateway} (with retries, fallback
 *       and pricing), streamed as {@code chat.completion.chunk} events when {@code "stream": true}, with a final usage
 *       chunk when {@code stream_options.include_usage} is set; and {@code rag:NAME} models answered by a RAG
 *       pipeline through {@link RagModels}, with an extra {@code citations} field; {@code agent:NAME} models
 *       answered by an agent run through {@link AgentModels} (plain or streamed), with an extra {@code agent_run} field;
 *       and names a routing table routes ({@code auto}, see {@link Builder#routed}) run the chat pipeline, whose route
 *       stage picks what serves them.</li>
 *   <li>{@code POST /v1/embeddings}: the embedded embedding model, or an {@code embedding} model configured in the
 *       gateway ({@code float} or {@code base64} encoding).</li>
 *   <li>{@code GET /v1/models}: every model name the routes above accept.</li>
 * </ul>
 * Errors use OpenAI's shape {@code {"error":{"message","type","param","code"}}} with the status of the
 * {@link ErrorCode}; invalid input is a 4xx with a message saying what to fix, never a stack trace. A chat completion
 * with a configured model runs the chat route's pipeline ({@link ChatRoute}: request log, variant, guards, budgets,
 * the gateway); this class only parses, runs it and writes. A stream that breaks after it started ends with an
 * {@code error} event and no {@code [DONE]} ({@link SseWriter}), so SDKs raise instead of returning a truncated answer;
 * the pipeline records it as failed, with its partial usage.
 *
 * <pre>{@code
 * WebServer.builder().routing(r -> r.register(OpenAiApiService.builder().gateway(gateway).embedder(embedder)
 *         .rag(ragModels).requestLog(log).chat(chatPipeline).build())).build().start();
 * }</pre>
 */
public final class OpenAiApiService implements HttpService {
    /** The prefix of model names that address a RAG pipeline. */
    public static final String RAG_PREFIX = "rag:";
    /** The prefix of model names that address an agent. */
    public static final String AGENT_PREFIX = "agent:";
    private static final String ROUTE_CHAT = "/v1/chat/completions";

    private final ModelGateway gateway;
    private final Embedder embedder;
    private final RagModels rag;
    private final AgentModels agents;
    private final long created = Instant.now().getEpochSecond();
    private final long maxBodyBytes;
    private final Pipeline<ChatExchange, ChatResult> chat;
    private final EmbeddingsRoute embeddings;
    private final java.util.function.Predicate<String> listed;
    private final java.util.function.Predicate<String> routed;
    private final java.util.Set<String> routedNames;
    private final ModelAccess modelAccess;

    private OpenAiApiService(Builder b) {
        this.gateway = b.gateway;
        this.listed = b.listed;
        this.routed = b.routed;
        this.routedNames = b.routedNames;
        this.modelAccess = b.modelAccess;
        this.embedder = b.embedder;
        this.rag = b.rag;
        this.agents = b.agents;
        this.maxBodyBytes = b.maxBodyBytes;
        this.chat = b.chat != null ? b.chat : b.gateway == null ? null
                : ChatRoute.pipeline(b.gateway, b.gateway::versionOf, Guard.ALLOW_ALL, SpendControl.NONE, b.log,
                VariantResolver.NONE, StageObserver.NONE);
        this.embeddings = new EmbeddingsRoute(b.gateway, b.embedder, b.log, b.observer, b.maxBodyBytes, b.modelAccess);
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
        Instant received = Instant.now();
        ChatRequest request;
        boolean stream;
        boolean includeUsage;
        Caller caller = Attribution.callerOrReject(req, res, OpenAiErrors.ENVELOPE);
        if (caller == null) return;
        try {
            RequestBody.requireJson(req);   // 415 for text/plain and the like, as on every JSON route
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
        if (request.model().startsWith(RAG_PREFIX)) {
            rag(id, caller, request, stream, includeUsage, res);
            return;
        }
        if (request.model().startsWith(AGENT_PREFIX)) {
            new AgentCompletion(agents, created, includeUsage).answer(id, caller, request, stream, res);
            return;
        }
        if ((gateway == null || !gateway.has(request.model())) && !(chat != null && routed.test(request.model()))) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + request.model() + "' does not exist; GET /v1/models lists the available ones");
            return;
        }
        ChatResult result;
        try {
            result = chat.run(new ChatExchange(id, ROUTE_CHAT, received, caller, new Timings.Recorder(), new Trail(), request, stream));
        } catch (KeelException e) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e);
            return;
        }
        if (result.stream() != null) {
            result.stream().start(new SseWriter(id, request.model(), created, includeUsage, res));
        } else if (!stream) {
            HttpJson.sendBytes(res, 200, OpenAiCodec.writeResponseBytes(result.response().withModel(request.model()), created, id));
        } else {
            streamRefusal(id, request.model(), result.response().content(), includeUsage, res);
        }
    }

    /** A question the input guard refused, streamed: the refusal is the assistant's message, finish reason content_filter. */
    private void streamRefusal(String id, String model, String text, boolean includeUsage, ServerResponse res) {
        try (OutputStream out = OpenAiHttp.openStream(res)) {
            ObjectNode delta = OpenAiCodec.JSON.createObjectNode().put("role", "assistant").put("content", text);
            OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, model, created, delta, null, includeUsage));
            OpenAiHttp.event(out, OpenAiCodec.writeChunk(id, model, created, OpenAiCodec.JSON.createObjectNode(),
                    OutputGuardStage.CONTENT_FILTER, includeUsage));
            if (includeUsage) OpenAiHttp.event(out, OpenAiCodec.writeUsageChunk(id, model, created, Usage.ZERO));
            out.write(OpenAiHttp.DONE);
        } catch (IOException | UncheckedIOException e) {
            // the client is gone; the refusal was recorded by the pipeline
        }
    }

    private void rag(String id, Caller caller, ChatRequest request, boolean stream, boolean includeUsage, ServerResponse res) {
        String pipeline = request.model().substring(RAG_PREFIX.length());
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.getLast();
        if (last.role() != ChatMessage.Role.USER || last.content() == null || last.content().isBlank()) {
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.INVALID_REQUEST, "a rag: model answers the last message, which must be a non-empty user message");
            return;
        }
        Answer answer;
        try {
            Optional<Answer> a = rag.answer(pipeline, last.content(), messages.subList(0, messages.size() - 1), caller);
            if (a.isEmpty()) {
                HttpJson.sendError(res, OpenAiErrors.ENVELOPE, ErrorCode.NOT_FOUND, "The model '" + request.model() + "' does not exist: no RAG pipeline named '"
                        + pipeline + "'; GET /v1/models lists the available ones");
                return;
            }
            answer = a.get();
        } catch (KeelException e) {
            // the pipeline's own request-log record holds this failure
            HttpJson.sendError(res, OpenAiErrors.ENVELOPE, e);
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

    // ---- /v1/models

    /** Every model the caller may use: a key's or tenant's {@code allowed_models} narrow the list. */
    private void models(ServerRequest req, ServerResponse res) {
        ObjectNode out = OpenAiCodec.JSON.createObjectNode();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        Caller caller = io.keel.http.Attribution.caller(req);
        java.util.function.Predicate<String> usable = n -> modelAccess.allows(caller, n);
        if (gateway != null) {
            gateway.modelNames().stream().filter(listed).filter(usable).forEach(n -> model(data, n));
            gateway.embeddingModelNames().stream().filter(usable).forEach(n -> model(data, n));
        }
        if (chat != null) routedNames.forEach(n -> model(data, n));
        rag.pipelines().forEach(p -> model(data, RAG_PREFIX + p));
        agents.agents().forEach(a -> model(data, AGENT_PREFIX + a));
        if (embedder != null && usable.test(embedder.info().id())) model(data, embedder.info().id());
        HttpJson.send(res, 200, out, OpenAiCodec.JSON);
    }

    private void model(ArrayNode data, String id) {
        data.addObject().put("id", id).put("object", "model").put("created", created).put("owned_by", "keel");
    }

    /** Assembles the service; every part is optional. */
    public static final class Builder {
        private ModelGateway gateway;
        private Embedder embedder;
        private RagModels rag = RagModels.NONE;
        private AgentModels agents = AgentModels.NONE;
        private RequestLog log = RequestLog.NONE;
        private long maxBodyBytes = 16L << 20;
        private Pipeline<ChatExchange, ChatResult> chat;
        private StageObserver observer = StageObserver.NONE;
        private java.util.function.Predicate<String> listed = name -> true;
        private java.util.function.Predicate<String> routed = name -> false;
        private java.util.Set<String> routedNames = java.util.Set.of();

        /**
         * Model names the chat pipeline's route stage routes though no configured model has them ({@code auto});
         * {@code names} are the ones {@code GET /v1/models} lists.
         */
        public Builder routed(java.util.function.Predicate<String> r, java.util.Set<String> names) {
            this.routed = java.util.Objects.requireNonNull(r, "routed");
            this.routedNames = java.util.Set.copyOf(names);
            return this;
        }

        private ModelAccess modelAccess = new ModelAccess(SpendControl.NONE, java.util.Map.of());

        /** Which models each caller may use on the embeddings route (chat checks them in its pipeline). */
        public Builder modelAccess(ModelAccess access) {
            this.modelAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        /** Which configured chat models {@code GET /v1/models} lists (e.g. not those whose registry versions are all archived). */
        public Builder listed(java.util.function.Predicate<String> l) {
            this.listed = java.util.Objects.requireNonNull(l, "listed");
            return this;
        }

        /** Watches the embeddings route's stages (e.g. one trace span each). */
        public Builder observer(StageObserver o) {
            this.observer = Objects.requireNonNull(o, "observer");
            return this;
        }

        /**
         * The chat route's stages (guards, budgets, request log around the gateway; see {@link ChatRoute}). Without
         * it (or with null), configured models are served through the gateway with the request log alone.
         */
        public Builder chat(Pipeline<ChatExchange, ChatResult> pipeline) {
            this.chat = pipeline;
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

        /** Agents served as {@code agent:NAME} models. */
        public Builder agents(AgentModels a) {
            this.agents = Objects.requireNonNull(a, "agents");
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
