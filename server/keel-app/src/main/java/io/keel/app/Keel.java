package io.keel.app;

import io.keel.app.config.GeneratorConfig;
import io.keel.app.config.KeelConfig;
import io.keel.app.log.CompositeRequestLog;
import io.keel.metrics.KeelMetrics;
import io.keel.core.answer.Answer;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.experiments.ExperimentSet;
import io.keel.experiments.ExperimentStore;
import io.keel.experiments.LiveExperiments;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardSelector;
import io.keel.core.security.KeyLimiter;
import io.keel.core.security.MemoryRateWindows;
import io.keel.core.security.ModelAccess;
import io.keel.core.security.TokenMeter;
import io.keel.store.sql.SqlRateWindows;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.chat.ChatExchange;
import io.keel.core.pipeline.chat.ChatResult;
import io.keel.core.pipeline.chat.ChatRoute;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.Generator;
import io.keel.core.spi.GeneratorContext;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestStore;
import io.keel.core.security.AuditLog;
import io.keel.core.budget.SpendControl;
import io.keel.model.budget.BudgetEnforcer;
import io.keel.graph.GraphIndexStore;
import io.keel.graph.GraphSettings;
import io.keel.graph.KnowledgeGraph;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.SqlBudgetLedger;
import io.keel.store.sql.SqlRequestStore;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.guard.PolicyGuard;
import io.keel.guard.action.RedactingRequestLog;
import io.keel.guard.action.Redactor;
import io.keel.guard.pii.RecognizerProvider;
import io.keel.guard.policy.GuardPolicy;
import io.keel.guard.policy.PolicyLoader;
import io.keel.rag.PromptSource;
import io.keel.model.ModelCall;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.quality.QualityStage;
import io.keel.tracing.KeelTracing;
import io.keel.model.ModelGateway;
import io.keel.model.ModelConfig;
import io.keel.prompts.PromptStore;
import io.keel.registry.ModelRegistry;
import io.keel.registry.RegistryWatcher;
import io.keel.core.spi.ReindexProgress;
import io.keel.ingest.ChunkScreen;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.parse.ParserRegistry;
import io.keel.guard.injection.ChunkScreening;
import io.keel.guard.injection.InjectionResult;
import io.keel.ingest.IngestReport;
import io.keel.ingest.Ingestor;
import io.keel.ingest.ProgressListener;
import io.keel.core.spi.IndexInfo;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One running Keel instance: the embedding model, the index, the generator and the query pipeline, built from a
 * {@link KeelConfig}. The server and the CLI both go through this class, so {@code keel ask} and
 * {@code POST /v1/query} give the same answer for the same question. Thread-safe.
 *
 * <p>Longer than most classes on purpose: it is the assembly of an instance — {@link #open} builds every component once,
 * in dependency order, and registers it to be closed in reverse — plus the few operations the server and the CLI share
 * (query, retrieve, search, ingest, reindex). The route pipelines are listed in {@link RoutePipelines}.
 */
public final class Keel implements AutoCloseable {
    private static final SecureRandom IDS = new SecureRandom();

    private final KeelConfig config;
    private final Embedder embedder;
    private final IndexStore indexes;
    private final Generator generator;
    private final RequestLog requestLog;
    private final KeelMetrics metrics;
    private final PolicyGuard guard;
    private final KeyLimiter keyLimiter;
    private final Map<String, PolicyGuard> tenantGuards;
    private final ModelAccess modelAccess;
    private final ModelGateway gateway;
    private final Streaming streaming;
    private final Pipeline<QueryRequest, Answer> queryPipeline;
    private final Pipeline<QueryRequest, Retrieval> retrievePipeline;
    private final Pipeline<QueryRequest, Retrieval> searchPipeline;
    private final Pipeline<ChatExchange, ChatResult> chatPipeline;
    private final io.keel.routing.Routing routing;
    private final Database database;
    private final SqlRequestStore requestStore;
    private final SpendControl spend;
    private final ModelRegistry registry;
    private final KeelTracing tracing;
    private final IngestionLog ingestionLog;
    private final Closeables closeables;
    private volatile RegistryWatcher registryWatcher;
    private final ExperimentStore experimentStore;
    private final LiveExperiments experiments;
    private final SqlAuditLog audit;
    private final Redactor logRedactor;
    private AutoCloseable retention;

    /** What {@link #open} built, handed to the constructor in one piece. */
    private record Parts(Embedder embedder, IndexStore indexes, Generator generator, RequestLog requestLog,
                         KeelMetrics metrics, PolicyGuard guard, ModelGateway gateway, Database database,
                         SqlRequestStore requestStore, SpendControl spend, ModelRegistry registry, KeelTracing tracing,
                         SqlAuditLog audit, Redactor logRedactor, Map<String, PolicyGuard> tenantGuards,
                         KeyLimiter keyLimiter, ModelAccess modelAccess) {
    }

    private Keel(KeelConfig config, Parts parts, Closeables closeables) {
        this.config = config;
        this.closeables = closeables;
        this.tracing = parts.tracing();
        this.registry = parts.registry();
        this.audit = parts.audit();
        this.logRedactor = parts.logRedactor();
        this.database = parts.database();
        // migrated now, before anything writes in the background: SQLite cannot upgrade a migration's read to a write
        // once another connection has written
        this.apiKeys = new io.keel.store.sql.SqlApiKeyStore(database);
        this.requestStore = parts.requestStore();
        this.spend = parts.spend();
        this.embedder = parts.embedder();
        this.indexes = parts.indexes();
        this.generator = parts.generator();
        this.requestLog = parts.requestLog();
        this.metrics = parts.metrics();
        this.guard = parts.guard();
        this.gateway = parts.gateway();
        this.keyLimiter = parts.keyLimiter();
        this.tenantGuards = Map.copyOf(parts.tenantGuards());
        this.modelAccess = parts.modelAccess();
        this.streaming = closeables.add(new Streaming(config.streaming(), embedder, config.ingest().options().chunking(), chunkScreen()));
        MetricBindings.ingestion(streaming.freshness(), streaming::sources, metrics.registry());
        MetricBindings.chunks(streaming.applier(), metrics.registry());
        if (embedder instanceof OnnxEmbedder onnx) MetricBindings.embeddingCache(onnx, metrics.registry());
        this.ingestionLog = new IngestionLog(requestLog, embedder.info());
        streaming.applier().observe(ingestionLog);
        GuardSelector g = GuardSelector.byTenant(parts.tenantGuards(), guard == null ? Guard.ALLOW_ALL : guard);
        Stage<QueryRequest, Answer> quality = new QualityStage(embedder, config.quality(),
                new DriftMonitors(indexes, config.quality(), metrics.registry()));
        StageObserver observer = tracing.stageObserver();
        this.experimentStore = new ExperimentStore(database, audit);
        this.experiments = closeables.add(new LiveExperiments(config.experiments().files(), experimentStore,
                java.time.Clock.systemUTC(), this::checkExperiments,
                request -> request.caller().principal() == null ? null : request.caller().principal().id()));
        VariantResolver variants = experiments;
        this.queryPipeline = RoutePipelines.query(config, embedder, indexes, generator, requestLog, g, variants, quality, observer);
        this.retrievePipeline = RoutePipelines.retrieve(config, embedder, indexes, requestLog, g, variants, observer);
        this.searchPipeline = RoutePipelines.search(config, embedder, indexes);
        if (gateway == null && config.routing().enabled()) {
            throw KeelException.invalid("routing.file is set but no chat models are configured (models:): routing picks among them");
        }
        this.routing = gateway == null ? io.keel.routing.Routing.NONE : config.routing().load(embedder);
        if (gateway != null) routing.checkModels(gateway::has);
        this.chatPipeline = gateway == null ? null
                : ChatRoute.pipeline(gateway, gateway::versionOf, g, spend, requestLog, variants,
                ChatRouting.stage(routing, embedder, name -> indexes.collections().contains(name), this::query,
                        this::agents), observer);
    }

    /**
     * Checks that the models and answer-prompt versions {@code experiments}' variants name exist (see
     * {@link ExperimentChecks}): at startup a typo stops it, at {@code start} the experiment is refused.
     */
    public void checkExperiments(ExperimentSet experiments) {
        ExperimentChecks.check(experiments, model -> gateway != null && (gateway.has(model) || registry.resolve(model).isPresent()),
                gateway == null ? "none (add a models: section to keel.yaml)" : String.join(", ", gateway.modelNames()),
                new PromptStore(database));
    }

    /**
     * Loads the model and opens the index under the configured data directory: every component is built here, once,
     * and registered to be closed in reverse order by {@link #close()} (or at once, if building a later one fails).
     */
    public static Keel open(KeelConfig config) {
        Objects.requireNonNull(config, "config");
        Closeables closeables = new Closeables();
        try {
            Embedder embedder = closeables.add(config.embedding().create());
            KeelTracing tracing = closeables.add(new KeelTracing(config.tracing()));
            KeelMetrics metrics = closeables.add(new KeelMetrics());
            Database database = closeables.add(Stores.open(config));
            IndexStore indexes = closeables.add(IndexStores.open(config, embedder.info(), database, java.time.Clock.systemUTC()));
            SqlAuditLog audit = new SqlAuditLog(database);
            ModelRegistry registry = new ModelRegistry(database, entry -> ModelConfig.from("model", entry)).auditTo(audit);
            RegistryModels.seed(registry, config.models());
            ModelGateway gateway = closeables.add(RegistryModels.gateway(registry, System::getenv, call -> traceModelCall(tracing, call)));
            if (gateway != null) {
                registry.addListener(change -> RegistryModels.apply(registry, gateway, change, System::getenv));
            }
            // configured budgets, tenants' budgets, and the budgets API keys carry: the enforcer runs whenever there are models
            List<io.keel.core.budget.Budget> budgets = new java.util.ArrayList<>(config.budgets().limits());
            budgets.addAll(config.tenants().budgets());
            SpendControl budgeted = gateway == null ? SpendControl.NONE
                    : closeables.add(new BudgetEnforcer(new SqlBudgetLedger(database), budgets, gateway,
                    config.budgets().defaultMaxTokens(), java.time.Clock.systemUTC()));
            ModelAccess modelAccess = new ModelAccess(budgeted, config.tenants().allowedModels());
            SpendControl spend = modelAccess;
            KeyLimiter keyLimiter = closeables.add(new KeyLimiter(database.dialect() == io.keel.store.sql.Dialect.POSTGRESQL
                    ? new SqlRateWindows(database) : new MemoryRateWindows(), config.auth().requestsPerMinute(),
                    config.tenants().rates(), java.time.Clock.systemUTC()));
            Generator generator = generator(config, embedder, gateway, spend, new PromptStore(database).auditTo(audit));
            Redactor logRedactor = Redactor.forLogs();
            PolicyGuard guard = null;
            if (config.guard().enabled()) {
                GuardPolicy policy = config.guard().policy() == null ? PolicyLoader.defaults() : PolicyLoader.load(config.guard().policy());
                // the guard's detectors were fitted to the embedded MiniLM: another embedder leaves them their own
                Embedder guardModel = OnnxEmbedder.fitsGuard(embedder) ? embedder : closeables.add(OnnxEmbedder.createDefault());
                guard = closeables.add(PolicyGuard.builder(policy).embedder(guardModel).build());
                GuardPolicy.Pii pii = policy.pii();
                logRedactor = Redactor.forLogs(pii.countries(), pii.enabled() ? RecognizerProvider.load(pii.models()) : List.of());
            }
            Map<String, PolicyGuard> tenantGuards = TenantGuards.build(config,
                    () -> OnnxEmbedder.fitsGuard(embedder) ? embedder : closeables.add(OnnxEmbedder.createDefault()), closeables);
            // The log never sees raw PII or secrets, whatever the guard policy says about requests; it looks for the
            // policy's national identifiers and names too.
            SqlRequestStore store = config.requestLogEnabled() ? closeables.add(new SqlRequestStore(database)) : null;
            RequestLog durable = store == null ? RequestLog.NONE : new RedactingRequestLog(store, logRedactor);
            RequestLog requestLog = new CompositeRequestLog(List.of(durable, metrics, new TokenMeter(keyLimiter)));
            GraphSettings graphSettings = config.graph();
            indexes = closeables.add(new GraphIndexStore(indexes,
                    graphSettings.enabled() ? KnowledgeGraphs.open(graphSettings, database, gateway, spend, requestLog,
                            metrics.registry()) : null));
            return new Keel(config, new Parts(embedder, indexes, generator, requestLog, metrics, guard, gateway, database, store,
                    spend, registry, tracing, audit, logRedactor, tenantGuards, keyLimiter, modelAccess), closeables);
        } catch (RuntimeException e) {
            closeables.closeAfter(e);
            throw e;
        }
    }

    /** A gateway call as an OpenTelemetry {@code chat {model}} span under the current request's span. */
    private static void traceModelCall(KeelTracing tracing, ModelCall call) {
        java.time.Instant end = java.time.Instant.now();
        String last = call.endpoints().isEmpty() ? null : call.endpoints().getLast();
        String host = last == null ? null : java.net.URI.create(last).getHost();
        tracing.recordModelCall(KeelTracing.OPERATION_CHAT, call.provider(), call.requested(),
                call.ok() ? call.upstreamModel() : null, call.usage().promptTokens(), call.usage().completionTokens(),
                end.minus(call.latency()), end, host, call.ok() ? null : call.status());
    }

    /** The generator {@code generator.backend} names (see {@link io.keel.core.spi.GeneratorFactory}). */
    private static Generator generator(KeelConfig config, Embedder embedder, ModelGateway gateway, SpendControl spend,
                                       PromptStore prompts) {
        GeneratorConfig settings = config.generator();
        return settings.factory().create(new GeneratorContext(settings.section(), embedder, gateway, spend,
                Map.of(PromptSource.Settings.class, new PromptSource.Settings(config.prompts().dir(), config.prompts().label(), prompts))));
    }

    /**
     * Runs the model and every collection's search once, so the first real request does not pay for class loading,
     * session creation and cold index files.
     */
    public void warmUp() {
        String text = "warm-up query for the embedding model and the index";
        float[] vector = embedder.embedQuery(text);
        embedder.embedAll(List.of(text, "a second sentence"));
        for (String name : indexes.collections()) {
            try {
                for (RetrievalMode mode : RetrievalMode.values()) {
                    if (mode == RetrievalMode.GRAPH && graph().isEmpty()) continue;
                    indexes.collection(name, false).search(new Query(text, 10, mode, null, name), vector);
                }
            } catch (KeelException e) {
                java.util.logging.Logger.getLogger(Keel.class.getName()).warning("collection '" + name + "': " + e.getMessage());
            }
        }
    }

    public KeelConfig config() {
        return config;
    }

    public Embedder embedder() {
        return embedder;
    }

    public IndexStore indexes() {
        return indexes;
    }

    /** The knowledge graph, when {@code graph.enabled} ({@code docs/knowledge-graph.md}). */
    public Optional<KnowledgeGraph> graph() {
        return indexes instanceof GraphIndexStore g ? g.graph() : Optional.empty();
    }

    public Generator generator() {
        return generator;
    }

    /** Request counts, per-stage latency histograms, tokens and cost ({@code GET /metrics}). */
    public KeelMetrics metrics() {
        return metrics;
    }

    /** The request log every route writes to: the redacted durable log and the metrics. */
    public RequestLog requestLog() {
        return requestLog;
    }

    /** The request log to read back ({@code GET /v1/requests}, usage), or empty when {@code request_log.enabled} is false. */
    public Optional<RequestStore> requests() {
        return Optional.ofNullable(requestStore);
    }

    /** The SQL store the request log, budgets, registry and prompts live in (SQLite or PostgreSQL). */
    public Database database() {
        return database;
    }

    private io.keel.agent.Agents agents;

    /**
     * The agents of {@code agents.dir}, their tools (built-in and the configured MCP servers') and the run store, built
     * on first use; empty when no chat model is configured.
     */
    public synchronized Optional<io.keel.agent.Agents> agents() {
        if (gateway == null) return Optional.empty();
        if (agents == null) agents = closeables.add(AgentWiring.open(this, gateway, config.agents()));
        return Optional.of(agents);
    }

    private io.keel.store.sql.SqlApiKeyStore apiKeys;
    private io.keel.store.sql.SqlFeedbackStore feedback;

    /** User feedback on requests, in this instance's database (migrated on first use). */
    public synchronized io.keel.core.spi.FeedbackStore feedback() {
        if (feedback == null) feedback = new io.keel.store.sql.SqlFeedbackStore(database);
        return feedback;
    }

    private io.keel.store.sql.SqlIngestionJobStore ingestionJobs;

    /** Asynchronous pushes and their state, in this instance's database (migrated on first use). */
    public synchronized io.keel.core.spi.IngestionJobStore ingestionJobs() {
        if (ingestionJobs == null) ingestionJobs = new io.keel.store.sql.SqlIngestionJobStore(database);
        return ingestionJobs;
    }

    /** {@code text} as the request log would store it: PII and secrets redacted. */
    public String redactForLog(String text) {
        return text == null ? null : logRedactor.redact(text);
    }

    /** API keys, in this instance's database (migrated on first use). */
    public synchronized io.keel.core.security.ApiKeyStore apiKeys() {
        if (apiKeys == null) apiKeys = new io.keel.store.sql.SqlApiKeyStore(database);
        return apiKeys;
    }

    /** Spans per request and stage, exported over OTLP when configured. */
    public KeelTracing tracing() {
        return tracing;
    }

    /** The model registry: versions, stages and their audit trail; the gateway serves what it resolves. */
    public ModelRegistry registry() {
        return registry;
    }

    /**
     * Polls the registry and the experiment store for changes made by other processes (the CLI, other instances) so
     * promotions and started or stopped experiments reach this one within {@code interval}. Servers call this; one-shot
     * commands do not.
     */
    public synchronized void watchRegistry(java.time.Duration interval) {
        if (registryWatcher == null) registryWatcher = closeables.add(RegistryWatcher.start(registry, interval));
        experiments.watch(interval);
    }

    /** The experiments this instance runs (files and store), and the definitions reports read. */
    public LiveExperiments experiments() {
        return experiments;
    }

    /** Experiments managed at run time ({@code keel experiments create|start|stop}, {@code /v1/experiments}). */
    public ExperimentStore experimentStore() {
        return experimentStore;
    }

    /** The hash-chained audit log of security-relevant actions, in the SQL store. */
    public AuditLog audit() {
        return audit;
    }

    /** The audit log as the SQL stores that write to it in their own transactions need it. */
    SqlAuditLog sqlAudit() {
        return audit;
    }

    /** Purges of the request log, each recorded in the audit log; empty when {@code request_log.enabled} is false. */
    public Optional<RequestErasure> requestErasure() {
        return requests().map(s -> new RequestErasure(s, audit, java.time.Clock.systemUTC()));
    }

    /** Starts purging records older than {@code request_log.retention}, when set; servers call this. */
    public synchronized void startRetention() {
        if (retention != null || config.requestLogRetention().isEmpty()) return;
        requestErasure().ifPresent(e -> retention = closeables.add(e.retain(config.requestLogRetention().get())));
    }

    /** Budgets around model calls (configured, per tenant, per key), behind the models each caller may use. */
    public SpendControl spend() {
        return spend;
    }

    /** The models each caller may use: its key's {@code allowed_models} and its tenant's. */
    public ModelAccess modelAccess() {
        return modelAccess;
    }

    /**
     * Each credential's requests and tokens per minute (shared by every instance on PostgreSQL, per instance on
     * SQLite) and requests in flight.
     */
    public KeyLimiter keyLimiter() {
        return keyLimiter;
    }

    /** The model gateway over the {@code models:} section, or empty when no models are configured. */
    public Optional<ModelGateway> gateway() {
        return Optional.ofNullable(gateway);
    }

    /** HTTP push, the Kafka source and freshness tracking. */
    public Streaming streaming() {
        return streaming;
    }

    /** Starts the configured streaming sources (the Kafka consumer); servers call this, one-shot commands do not. */
    public void startStreaming() {
        streaming.start(indexes);
    }

    /** The routing tables of the chat route ({@code routing.*}); {@link io.keel.routing.Routing#NONE} without them. */
    public io.keel.routing.Routing routing() {
        return routing;
    }

    /** The configured guard, or empty when {@code guard.enabled} is false. */
    public Optional<PolicyGuard> guard() {
        return Optional.ofNullable(guard);
    }

    /** The guard that judges {@code caller}'s requests: its tenant's policy ({@code tenants.NAME.guard_policy}), else {@link #guard()}. */
    public Optional<PolicyGuard> guard(Caller caller) {
        PolicyGuard own = caller == null ? null : tenantGuards.get(caller.tenant());
        return own != null ? Optional.of(own) : guard();
    }

    /** Answers a question through the full pipeline: guard, embed, retrieve, build context, generate, guard, record. */
    public Answer query(QueryInput input, String route) {
        return query(input, route, Caller.ANONYMOUS);
    }

    /** As {@link #query(QueryInput, String)} on behalf of {@code caller}, whose budgets apply and who is billed. */
    public Answer query(QueryInput input, String route, Caller caller) {
        return queryPipeline.run(QueryRequest.start(newId("req"), route, toQuery(input), caller));
    }

    /**
     * Search without generation, through the retrieve route's stages: logged, guarded and traced like a question.
     * A query the guard blocks comes back with no hits and {@link Retrieval#refusal()} set.
     */
    public Retrieval retrieve(QueryInput input, String route, Caller caller) {
        return retrievePipeline.run(QueryRequest.start(newId("req"), route, toQuery(input), caller));
    }

    /**
     * The search engine alone (embed, retrieve), with no request log and no guard: for evaluations that measure
     * retrieval — benchmarks, replay — and must not count as traffic.
     */
    public Retrieval search(QueryInput input) {
        return searchPipeline.run(QueryRequest.start(newId("search"), "search", toQuery(input), Caller.ANONYMOUS));
    }

    /**
     * The chat route's stages for configured models (request log, variant, guards, budgets, the gateway), or empty
     * when no chat model is configured.
     */
    public Optional<Pipeline<ChatExchange, ChatResult>> chatPipeline() {
        return Optional.ofNullable(chatPipeline);
    }

    /**
     * Adds files and folders to a collection (created on first use). Unchanged documents are skipped, changed ones
     * re-embedded, vanished ones removed; progress goes to {@code listener}.
     */
    public IngestReport ingest(List<Path> paths, String collection, ProgressListener listener) {
        return ingest(paths, collection, config.ingest().options(), listener);
    }

    /** As {@link #ingest(List, String, ProgressListener)} with per-run options (root, tenant, ACL, metadata). */
    public IngestReport ingest(List<Path> paths, String collection, IngestOptions options, ProgressListener listener) {
        String name = collection == null ? config.retrieval().defaultCollection() : collection;
        CollectionIndex index = indexes.collection(name, true);
        long start = System.nanoTime();
        try {
            IngestReport report = new Ingestor(embedder, ParserRegistry.defaults(), options, chunkScreen()).ingest(index, paths, listener);
            ingestionLog.ingested(name, report, System.nanoTime() - start);
            return report;
        } catch (RuntimeException e) {
            ingestionLog.failed(IngestionLog.ROUTE_BATCH, name, e, System.nanoTime() - start);
            throw e;
        }
    }

    /**
     * With guards on, chunks that carry a high-confidence injection pattern are quarantined at ingestion, so retrieval
     * never hands them to a model (see ChunkScreening.documents()). Rules only: the classifier would cost a second
     * embedding per chunk.
     */
    private ChunkScreen chunkScreen() {
        if (guard == null) return ChunkScreen.NONE;
        ChunkScreening screening = ChunkScreening.documents();
        return new ChunkScreen() {
            @Override
            public Optional<String> quarantine(io.keel.core.document.Chunk chunk) {
                InjectionResult r = screening.scanChunk(chunk.text());
                return r.flagged()
                        ? Optional.of(String.format(java.util.Locale.ROOT, "quarantined: prompt-injection pattern (score %.2f)", r.score()))
                        : Optional.empty();
            }

            @Override
            public Optional<String> quarantine(String collection, io.keel.core.document.Chunk chunk) {
                Optional<String> reason = quarantine(chunk);
                if (reason.isPresent() && releasedBefore(collection, chunk)) return Optional.empty();
                reason.ifPresent(why -> listQuarantined(collection, chunk, why));
                return reason;
            }
        };
    }

    /** Counts a held-back chunk and lists it for review; a failure to list it is logged and does not fail ingestion. */
    private void listQuarantined(String collection, io.keel.core.document.Chunk chunk, String why) {
        metrics.quarantined(collection);
        try {
            quarantine().add(new io.keel.core.spi.QuarantinedChunk(0, collection, chunk.documentId(), chunk.ordinal(), why,
                    chunk.text(), java.time.Instant.now()));
        } catch (RuntimeException e) {
            System.getLogger(Keel.class.getName()).log(System.Logger.Level.WARNING, "chunk " + chunk.id() + " of '"
                    + collection + "' was quarantined but could not be listed: " + e.getMessage());
        }
    }

    /** Whether a reviewer released this text at this position of the document (only asked for flagged chunks). */
    private boolean releasedBefore(String collection, io.keel.core.document.Chunk chunk) {
        try {
            return quarantine().released(collection, chunk.documentId(), chunk.ordinal(), chunk.text());
        } catch (RuntimeException e) {
            return false; // the store is down: hold the chunk back, as without a release
        }
    }

    /**
     * Screens quarantined chunk {@code id} again with the current policy ({@code POST /v1/quarantine/{id}/recheck}):
     * a chunk the screen no longer flags is released into the index (and audited as a release); one it still flags
     * stays on the list with the new reason.
     *
     * @return the reason it is still held, or empty when it was released
     */
    public Optional<String> recheckQuarantined(long id, io.keel.core.security.AuditActor actor) {
        io.keel.core.spi.QuarantinedChunk q = quarantine().find(id)
                .orElseThrow(() -> KeelException.notFound("no quarantined chunk " + id));
        io.keel.core.document.Chunk chunk = new io.keel.core.document.Chunk(io.keel.core.document.Chunk.idOf(q.documentId(), q.ordinal()),
                q.documentId(), q.ordinal(), q.text(), List.of(), 0);
        Optional<String> still = chunkScreen().quarantine(chunk);
        if (still.isEmpty()) {
            quarantineRelease().release(id, actor);
            return Optional.empty();
        }
        quarantine().add(new io.keel.core.spi.QuarantinedChunk(0, q.collection(), q.documentId(), q.ordinal(), still.get(),
                q.text(), java.time.Instant.now()));
        return still;
    }

    /** Releases reviewed quarantined chunks into the index ({@code POST /v1/quarantine/{id}/release}). */
    public QuarantineRelease quarantineRelease() {
        return new QuarantineRelease(quarantine(), indexes, embedder, audit(), java.time.Clock.systemUTC());
    }

    private io.keel.store.sql.SqlQuarantineStore quarantine;

    /** The chunks held back at ingestion, in this instance's database (migrated on first use). */
    public synchronized io.keel.core.spi.QuarantineStore quarantine() {
        if (quarantine == null) quarantine = new io.keel.store.sql.SqlQuarantineStore(database);
        return quarantine;
    }

    /** Re-embeds a collection with the configured model: the fix for a model mismatch. */
    public IndexInfo reindex(String collection, ReindexProgress progress) {
        return indexes.reindex(collection, embedder, progress);
    }

    Query toQuery(QueryInput input) {
        String question = input.question();
        if (question == null || question.isBlank()) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "'question' must be a non-empty string");
        }
        if (question.length() > config.server().maxQuestionChars()) {
            throw new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "the question has " + question.length()
                    + " characters; the limit is " + config.server().maxQuestionChars() + " (server.max_question_chars)");
        }
        int topK = input.topK() == null ? config.retrieval().defaultTopK() : input.topK();
        if (topK < 1 || topK > Query.MAX_TOP_K) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "'top_k' must be between 1 and " + Query.MAX_TOP_K + "; got " + topK);
        }
        RetrievalMode mode = input.mode() == null ? config.retrieval().defaultMode() : input.mode();
        String collection = input.collection() == null ? config.retrieval().defaultCollection() : input.collection();
        return new Query(question.strip(), topK, mode, input.filters(), collection);
    }

    static String newId(String prefix) {
        byte[] b = new byte[12];
        IDS.nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }

    /** Closes every component in the reverse order of {@link #open}: sources and watchers first, the model last. */
    @Override
    public void close() {
        closeables.close();
    }
}
