package io.keel.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.keel.app.Keel;
import io.keel.app.replay.EvaluationStore;
import io.keel.app.config.KeelConfig;
import io.keel.app.config.ServerConfig;
import io.keel.console.ConsoleApiService;
import io.keel.console.ConsoleService;
import io.keel.console.PromptsService;
import io.keel.core.error.ErrorCode;
import io.keel.http.Attribution;
import io.keel.http.ConnectionClose;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.http.HttpJson;
import io.keel.http.ReadDeadlines;
import io.keel.openai.api.OpenAiApiService;
import io.keel.openai.api.OpenAiErrors;
import io.keel.server.documents.DocumentService;
import io.keel.server.registry.RegistryService;
import io.keel.server.security.AccessRoutes;
import io.keel.server.security.KeysService;
import io.keel.server.security.ServerSecurity;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Keel's HTTP server (Helidon SE 4: one virtual thread per request, plain blocking code). It starts once the model
 * and index are loaded and warmed up, so every request it accepts can be served; a Kubernetes startup probe covers
 * the few seconds before that.
 */
public final class KeelServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KeelServer.class.getName());
    /** How soon a promotion made elsewhere (CLI, another instance) reaches this server. */
    static final java.time.Duration REGISTRY_POLL = java.time.Duration.ofSeconds(2);

    private final Keel keel;
    private final ServerSecurity security;
    private final String host;
    private final WebServer server;
    private final ReadDeadlines deadlines;
    private final GracefulDrain drain = new GracefulDrain();
    private final Duration shutdownGrace;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private KeelServer(Keel keel, ServerConfig config) {
        this.keel = keel;
        this.security = new ServerSecurity(keel.apiKeys(), keel.config().auth(), keel.audit());
        this.host = security.bindHost(config);
        this.deadlines = new ReadDeadlines(config.headerTimeout(), config.readTimeout(), config.bodyTimeout());
        this.shutdownGrace = config.shutdownGrace();
        var builder = WebServer.builder()
                .host(host)
                .port(config.port())
                .maxPayloadSize(Long.MAX_VALUE)                 // every route enforces its own limit, with a JSON error
                .shutdownHook(false)
                .routing(r -> routing(r.addFilter(drain.filter()).addFilter(deadlines.filter()), keel, config, security));
        ConnectionHygiene.apply(builder, config, deadlines, drain::draining);  // timeouts, connection limit, HTTP/1.0
        this.server = builder.build();
    }

    /** Opens Keel from {@code config} (model, index, guards, models, streaming sources), then listens. */
    public static KeelServer start(KeelConfig config) {
        Keel keel = Keel.open(config);
        try {
            keel.warmUp();
            keel.startStreaming();
            keel.watchRegistry(REGISTRY_POLL);
            keel.startRetention();
            return start(keel, config.server());
        } catch (RuntimeException e) {
            keel.close();
            throw e;
        }
    }

    /** Serves an already opened Keel (tests, or Keel embedded in another application). Closing the server closes it. */
    public static KeelServer start(Keel keel, ServerConfig config) {
        KeelServer s = new KeelServer(keel, config);
        s.server.start();
        return s;
    }

    /** Every route of the API, registered in one place. Tests use this with their own server. */
    public static void routing(HttpRouting.Builder routing, Keel keel, ServerConfig config, ServerSecurity security) {
        // a request target the parser gave no path for (a malformed absolute URI such as http:\u00ff/host/v1/query)
        // is refused before any filter that routes by path
        routing.addFilter((chain, req, res) -> {
            if (req.path().path() == null) {
                res.header(io.helidon.http.HeaderNames.CONNECTION, "close");
                io.keel.http.HttpJson.sendError(res, io.keel.core.error.ErrorCode.INVALID_REQUEST,
                        "the request target is not a path or an absolute URI; send METHOD /path HTTP/1.1");
                return;
            }
            chain.proceed();
        });
        routing.addFilter(ConnectionClose.filter());
        routing.addFilter(new TracingFilter(keel.tracing()));
        routing.addFilter(Attribution.filter(KeelServer::errorEnvelope));
        routing.addFilter(security.filter(KeelServer::errorEnvelope, keel.keyLimiter()));
        services(keel, config, security).forEach(routing::register);
        ErrorHandling.register(routing, KeelServer::errorEnvelope);
        routing.any((req, res) -> HttpJson.sendError(res, ErrorCode.NOT_FOUND,
                "no route for " + req.prologue().method().text() + " " + req.path().path() + "; see docs/api.md for the endpoints"));
    }

    /**
     * Every service of the API. Access to each of their routes is decided by {@link AccessRoutes#TABLE}, which a test
     * checks against the routes these services register.
     */
    public static List<HttpService> services(Keel keel, ServerConfig config, ServerSecurity security) {
        return List.of(
                new HealthService(keel),
                new MetricsService(keel.metrics()),
                new QueryService(keel, config.maxRequestBytes()),
                new GuardService(keel, config.maxRequestBytes()),
                new RequestsService(keel.requests(), keel.audit()),
                new ExperimentsService(keel),
                new FeedbackService(keel, config.maxRequestBytes()),
                new RegistryService(keel.registry(), keel.config().providerKeys()),
                new AuditService(keel.audit()),
                new EvaluationsService(new EvaluationStore(keel.database())),
                new AgentService(keel, config.maxRequestBytes()),
                new io.keel.server.graph.GraphService(keel.graph(), keel.config().retrieval().defaultCollection()),
                OpenAiApiService.builder()
                        .gateway(keel.gateway().orElse(null))
                        .listed(name -> keel.registry().resolve(name).isPresent())
                        .routed(keel.routing()::routes, keel.routing().routedModels())
                        .embedder(keel.embedder())
                        .modelAccess(keel.modelAccess())
                        .rag(new CollectionRagModels(keel))
                        .agents(new AgentChatModels(keel))
                        .requestLog(keel.requestLog())
                        .maxBodyBytes(config.maxChatRequestBytes())
                        .chat(keel.chatPipeline().orElse(null))
                        .observer(keel.tracing().stageObserver())
                        .build(),
                new DocumentService(name -> keel.indexes().collection(name, true), keel.streaming().applier(),
                        keel.streaming().freshness(), keel.streaming()::sources, keel.streaming().push()).auditTo(keel.audit())
                        .jobsIn(keel.ingestionJobs()),
                new KeysService(security.keys()),
                new QuarantineService(keel::quarantine, keel::quarantineRelease, keel::recheckQuarantined),
                ConsoleService.fromClassPath(),
                new ConsoleApiService(keel.requests(), keel.config().budgets().limits(),
                        () -> keel.indexes().collections().stream().map(c -> keel.indexes().collection(c, false).info()).toList()),
                new PromptsService(new io.keel.prompts.PromptStore(keel.database())));
    }

    /** The OpenAI-compatible routes answer errors in OpenAI's shape, every other route in Keel's. */
    static ErrorEnvelope errorEnvelope(String path) {
        return OpenAiErrors.owns(path) ? OpenAiErrors.ENVELOPE : ErrorEnvelope.KEEL;
    }

    public int port() {
        return server.port();
    }

    /** The address listened on: loopback in open mode unless configured otherwise (see {@link ServerSecurity#bindHost}). */
    public String host() {
        return host;
    }

    /** Whether requests must authenticate now. */
    public boolean authenticationEnabled() {
        return security.enabled();
    }

    /** Whether a shutdown has begun: readiness answers 503 and new requests are refused. */
    public boolean draining() {
        return drain.draining();
    }

    /**
     * Starts draining now, without waiting: readiness turns 503 and new requests are refused. {@link #shutdown()} then
     * waits for what is in flight. Lets a signal handler flip readiness before it reports the drain. Idempotent.
     */
    public void beginDrain() {
        drain.begin();
    }

    /**
     * Shuts down gracefully within {@code server.shutdown_grace} (what SIGTERM does, see {@link #shutdown(Duration)}).
     */
    public ShutdownOutcome shutdown() {
        return shutdown(shutdownGrace);
    }

    /**
     * Shuts down gracefully: readiness turns 503 and new requests are refused with 503 (see {@link GracefulDrain}),
     * requests and streams in flight get up to {@code grace} to finish, then the listener stops (cutting off what is
     * still running), and Keel closes: streaming sources apply what they received and commit their Kafka offsets, and
     * the index commits. Returns once all that is done; a second call (or {@link #close()}) returns at once.
     */
    public ShutdownOutcome shutdown(Duration grace) {
        long start = System.nanoTime();
        if (!closed.compareAndSet(false, true)) return new ShutdownOutcome(true, 0, Duration.ZERO);
        drain.begin();
        LOG.info(() -> "draining: " + drain.inFlight() + " request(s) in flight, grace period " + grace.toMillis() + " ms");
        boolean drained;
        try {
            drained = drain.awaitIdle(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        int abandoned = drain.inFlight();
        stopAndCloseKeel();
        ShutdownOutcome outcome = new ShutdownOutcome(drained, drained ? 0 : abandoned, Duration.ofNanos(System.nanoTime() - start));
        LOG.info(() -> "stopped: " + outcome);
        return outcome;
    }

    /** Stops at once: what is in flight is cut off, then Keel closes (index and offsets committed). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        drain.begin();
        stopAndCloseKeel();
    }

    private void stopAndCloseKeel() {
        try {
            server.stop();
        } finally {
            deadlines.close();
            security.close();
            keel.close();
        }
    }
}
