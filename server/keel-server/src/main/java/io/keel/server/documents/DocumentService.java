package io.keel.server.documents;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;
import io.keel.http.Attribution;
import io.keel.core.security.ApiKey;
import io.keel.core.security.AuditActor;
import io.keel.core.security.DocumentAccess;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditLog;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IngestionJob;
import io.keel.core.spi.IngestionJobStore;
import io.keel.http.Attribution;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.http.HttpJson;
import io.keel.http.RequestBody;
import io.keel.stream.AppliedBatch;
import io.keel.stream.DocumentEvent;
import io.keel.stream.DocumentEvents;
import io.keel.stream.EventApplier;
import io.keel.stream.EventOutcome;
import io.keel.stream.EventStatus;
import io.keel.stream.FreshnessSnapshot;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.IngestionSource;
import io.keel.stream.InvalidEventException;
import io.keel.stream.PartitionLag;
import io.keel.stream.PushConfig;
import io.keel.stream.SourceStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HTTP push of document events and the ingestion status.
 *
 * <ul>
 *   <li>{@code POST /v1/documents[?collection=NAME]}: one event object, a JSON array of events, or NDJSON (one event per
 *       line). The body is read with a streaming parser and applied in batches of {@link PushConfig#batchSize()}, each
 *       ending with one index commit, so memory stays bounded however large the request. The answer lists one result
 *       per event, in order: {@code accepted}, {@code unchanged}, {@code stale} or {@code rejected} with the reason.</li>
 *   <li>{@code DELETE /v1/documents/{id}?version=N[&collection=NAME]}: a versioned delete, same semantics.</li>
 *   <li>{@code POST /v1/documents?async=true} (or {@code Prefer: respond-async}): the whole body is read and checked,
 *       then queued as an ingestion job and answered {@code 202} with its id; {@code 429} with {@code Retry-After}
 *       when the queue holds {@link PushConfig#maxQueuedEvents()} events already.</li>
 *   <li>{@code GET /v1/ingestion/jobs/{id}}: the job's state, progress and, once done, its per-event results.</li>
 *   <li>{@code GET /v1/ingestion/status}: freshness percentiles and histogram, event counts, failed batches, backlog,
 *       and lag per partition of every registered source.</li>
 * </ul>
 *
 * A request that is wrong as a whole (content type, empty body, a missing or bad parameter) fails with a
 * {@link KeelException}; malformed JSON in the middle of a body stops reading and answers 400 with the error and the
 * results of the events read before it, which were applied.
 *
 * <p>Longer than most classes on purpose: the push route reads its body event by event and applies it in bounded
 * batches, answering per event, and the delete and status routes share its tenant checks and audit trail.
 */
public final class DocumentService implements HttpService {
    private static final Set<String> JSON_SUBTYPES = Set.of("json", "x-ndjson", "ndjson", "jsonl", "x-jsonlines", "x-www-form-urlencoded");
    private static final String JSON_ADVICE = "send 'application/json' (an event or an array of events) or 'application/x-ndjson' (one event per line)";
    private static final ObjectMapper JSON = HttpJson.MAPPER;

    private final Function<String, CollectionIndex> collections;
    private final EventApplier applier;
    private final FreshnessTracker freshness;
    private final Supplier<? extends Collection<? extends IngestionSource>> sources;
    private final PushConfig config;
    private final ObjectMapper reader;
    private final AtomicLong inFlight = new AtomicLong();
    private volatile AuditLog audit = AuditLog.NONE;
    private volatile IngestionJobs jobs;

    /**
     * @param collections opens a collection by name; may throw {@link KeelException} (e.g. not found), which rejects
     *                    the events for it
     * @param applier     shared with every other source writing to the same collections
     * @param freshness   where pushed events are measured; shared with the other sources
     * @param sources     the running sources whose state the status reports (the Kafka ingestions); may be empty
     * @param config      request limits
     */
    public DocumentService(Function<String, CollectionIndex> collections, EventApplier applier, FreshnessTracker freshness,
                           Supplier<? extends Collection<? extends IngestionSource>> sources, PushConfig config) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.sources = Objects.requireNonNull(sources, "sources");
        this.config = Objects.requireNonNull(config, "config");
        this.reader = DocumentEvents.mapper(config.maxEventBytes());
    }

    /** Records every accepted delete, by {@code DELETE /v1/documents/{id}} or a pushed delete event, in {@code audit}. */
    public DocumentService auditTo(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return this;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/v1/documents", this::push)
                .delete("/v1/documents/{+id}", this::delete)
                .get("/v1/ingestion/status", this::status)
                .get("/v1/ingestion/jobs/{id}", this::job);
    }

    /**
     * Accepts {@code POST /v1/documents?async=true} (or {@code Prefer: respond-async}) as jobs kept in {@code store};
     * without this call an asynchronous push is refused. Unfinished jobs of an earlier run are marked lost now.
     */
    public DocumentService jobsIn(IngestionJobStore store) {
        if (jobs != null) jobs.close();
        this.jobs = new IngestionJobs(store, this::apply, r -> body(r).toString(), config.batchSize(),
                config.maxQueuedEvents(), java.time.Clock.systemUTC());
        return this;
    }

    /** Stops the job worker with the server; jobs still queued read as lost at the next start. */
    @Override
    public void afterStop() {
        if (jobs != null) jobs.close();
    }

    /** Events pushed over HTTP that are read but not yet committed. */
    public long inFlight() {
        return inFlight.get();
    }

    // ---- POST /v1/documents ---------------------------------------------------------------------------------------

    /** Events read but not yet applied, with their position in the request and their freshness start. */
    record Item(int position, DocumentEvent event, Instant startedAt) {
    }

    /** The results of one request, by position, and the collection versions its commits produced. */
    static final class Results {
        /** Who sent the request, for the audit entries of its deletes. */
        final AuditActor actor;
        final List<EventOutcome> outcomes = new ArrayList<>();

        Results(AuditActor actor) {
            this.actor = actor;
        }

        final Map<String, Long> versions = new TreeMap<>();

        void set(int position, EventOutcome outcome) {
            while (outcomes.size() <= position) outcomes.add(null);
            outcomes.set(position, outcome);
        }
    }

    private void push(ServerRequest req, ServerResponse res) {
        requireJson(req);
        boolean async = asyncRequested(req);
        if (async && jobs == null) {
            throw new KeelException(ErrorCode.UNSUPPORTED_CAPABILITY, "asynchronous pushes need a SQL store for their jobs; push without async=true");
        }
        String collection = collectionParam(req);
        Principal principal = Attribution.caller(req).principal();
        DocumentAccess.checkCollection(principal, collection != null ? collection : config.defaultCollection());
        Results results = new Results(AuditActor.of(Attribution.caller(req)));
        List<Item> pending = new ArrayList<>();
        try (InputStream in = RequestBody.stream(req); JsonParser parser = reader.createParser(in)) {
            JsonToken first;
            try {
                first = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw KeelException.invalid("the body is not JSON: " + e.getOriginalMessage());
            }
            if (first == null) throw KeelException.invalid("the body is empty; send an event object, a JSON array of events, or NDJSON");
            boolean array = first == JsonToken.START_ARRAY;
            if (!array && first != JsonToken.START_OBJECT) {
                throw KeelException.invalid("the body must be an event object, a JSON array of events, or NDJSON; got " + first.asString());
            }
            try {
                if (array) parser.nextToken();
                int position = 0;
                while (true) {
                    JsonToken token = parser.currentToken();
                    if (token == null) break;
                    if (array && token == JsonToken.END_ARRAY) {
                        if (parser.nextToken() != null) throw KeelException.invalid("unexpected content after the array of events");
                        break;
                    }
                    if (position >= config.maxEvents()) {
                        throw new KeelException(ErrorCode.PAYLOAD_TOO_LARGE, "a request carries at most " + config.maxEvents()
                                + " events (" + PushConfig.PREFIX + "max_events); split the batch");
                    }
                    JsonNode node = parser.readValueAsTree();
                    parser.nextToken();
                    read(node, position++, collection, principal, pending, results);
                    if (!async && pending.size() >= config.batchSize()) apply(pending, results);
                }
                if (async) {
                    queue(req, res, principal, position, pending, results);
                    return;
                }
            } catch (JsonProcessingException | KeelException e) {
                if (async) {
                    // Nothing of an asynchronous push is applied unless all of it could be read.
                    throw e instanceof KeelException k ? k : KeelException.invalid("the body is not valid JSON after "
                            + results.outcomes.size() + " events: " + ((JsonProcessingException) e).getOriginalMessage()
                            + "; nothing of the push was queued");
                }
                apply(pending, results);
                KeelException error = e instanceof KeelException k ? k
                        : KeelException.invalid("the body is not valid JSON after " + results.outcomes.size() + " events: "
                        + ((JsonProcessingException) e).getOriginalMessage() + "; the events before it were applied");
                if (results.outcomes.isEmpty()) throw error;
                ObjectNode body = body(results);
                body.set("error", error(error));
                ErrorHandling.answer(res, error, () -> send(res, error.code().httpStatus(), body));
                return;
            }
            apply(pending, results);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            inFlight.addAndGet(-pending.size());
        }
        send(res, 200, body(results));
    }

    /** Hands the read events to the job queue and answers 202 with the job, or 429 when the queue is full. */
    private void queue(ServerRequest req, ServerResponse res, Principal principal, int events, List<Item> pending,
                       Results results) {
        IngestionJob job;
        try {
            job = jobs.submit(principal == null ? null : principal.tenant(), events, pending, results);
        } catch (IngestionJobs.Refused e) {
            res.header("Retry-After", Long.toString(e.retryAfterSeconds));
            HttpJson.sendError(res, ErrorCode.RATE_LIMITED, e.getMessage());
            return;
        }
        pending.clear(); // the job owns them now, and takes them out of the in-flight count when it applies them
        res.header("Location", "/v1/ingestion/jobs/" + job.id());
        send(res, 202, jobBody(job));
    }

    private static boolean asyncRequested(ServerRequest req) {
        String a = query(req, "async");
        if (a != null && !a.equals("true") && !a.equals("false")) {
            throw KeelException.invalid("'async' must be true or false; got '" + a + "'");
        }
        if ("true".equals(a)) return true;
        return req.headers().value(io.helidon.http.HeaderNames.create("Prefer"))
                .map(v -> v.toLowerCase(java.util.Locale.ROOT).contains("respond-async")).orElse(false);
    }

    // ---- GET /v1/ingestion/jobs/{id} ------------------------------------------------------------------------------

    private void job(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Principal principal = Attribution.caller(req).principal();
        IngestionJob job = jobs == null ? null : jobs.find(id).orElse(null);
        if (job == null || (principal != null && job.tenant() != null && !job.tenant().equals(principal.tenant()))) {
            throw KeelException.notFound("no ingestion job '" + id + "'" + (principal == null ? "" : " in the tenant of the key " + principal.id()));
        }
        send(res, 200, jobBody(job));
    }

    private static ObjectNode jobBody(IngestionJob job) {
        ObjectNode body = JSON.createObjectNode();
        body.put("job_id", job.id());
        body.put("state", job.state().wireName());
        body.put("events", job.events());
        body.put("processed", job.processed());
        body.put("created_at", job.createdAt().toString());
        body.put("updated_at", job.updatedAt().toString());
        body.put("status_url", "/v1/ingestion/jobs/" + job.id());
        if (job.error() != null) body.put("error", job.error());
        if (job.result() != null) {
            try {
                body.set("result", JSON.readTree(job.result()));
            } catch (JsonProcessingException e) {
                body.put("result", job.result());
            }
        }
        return body;
    }

    private void read(JsonNode node, int position, String collection, Principal principal, List<Item> pending, Results results) {
        Instant received = Instant.now();
        try {
            if (principal != null) inTenant(node, principal);
            DocumentEvent event = DocumentEvents.parse(node);
            DocumentEvent bound = event.inCollection(collection != null ? collection : config.defaultCollection());
            if (principal != null && !principal.limits().allowsCollection(bound.collection())) {
                throw new InvalidEventException("the key " + principal.id() + " may not write collection '" + bound.collection()
                        + "'; its allowed collections are " + ApiKey.sorted(principal.limits().allowedCollections()));
            }
            pending.add(new Item(position, bound, event.eventTime() != null ? event.eventTime() : received));
            inFlight.incrementAndGet();
        } catch (InvalidEventException e) {
            freshness.rejected();
            JsonNode id = node.get("id");
            results.set(position, EventOutcome.rejected(id != null && id.isTextual() ? id.asText() : null, -1, e.getMessage()));
        }
    }

    /**
     * Puts an authenticated caller's documents in its tenant: an event without {@code tenant} gets the key's, one
     * naming another tenant is rejected.
     */
    private static void inTenant(JsonNode node, Principal principal) {
        if (!(node instanceof ObjectNode o)) return;
        JsonNode t = o.get("tenant");
        if (t == null || t.isNull()) {
            if (o.path("op").asText("").equals("upsert")) o.put("tenant", principal.tenant());
            return;
        }
        if (!t.isTextual() || !t.asText().equals(principal.tenant())) {
            throw new InvalidEventException("'tenant' " + t + " is not the tenant of the key " + principal.id() + " ('"
                    + principal.tenant() + "'); a key writes documents of its own tenant only");
        }
    }

    /** Applies {@code pending}, one batch per collection in order of first appearance, and clears it. */
    void apply(List<Item> pending, Results results) {
        if (pending.isEmpty()) return;
        Map<String, List<Item>> byCollection = new LinkedHashMap<>();
        for (Item item : pending) byCollection.computeIfAbsent(item.event().collection(), c -> new ArrayList<>()).add(item);
        try {
            for (var e : byCollection.entrySet()) {
                List<Item> items = e.getValue();
                CollectionIndex index;
                try {
                    index = collections.apply(e.getKey());
                } catch (KeelException ex) {
                    if (ex.retryable()) throw ex;
                    for (Item item : items) {
                        freshness.rejected();
                        results.set(item.position(), EventOutcome.rejected(item.event().id(), item.event().version(), ex.getMessage()));
                    }
                    continue;
                }
                AppliedBatch batch;
                try {
                    batch = applier.apply(index, items.stream().map(Item::event).toList());
                } catch (RuntimeException ex) {
                    freshness.failed("HTTP push to '" + e.getKey() + "': " + ex.getMessage());
                    throw ex;
                }
                freshness.record(batch, items.stream().map(Item::startedAt).toList());
                results.versions.put(e.getKey(), batch.indexVersion());
                for (int i = 0; i < items.size(); i++) {
                    results.set(items.get(i).position(), batch.outcomes().get(i));
                    auditDelete(items.get(i).event(), batch.outcomes().get(i), results.actor);
                }
            }
        } finally {
            inFlight.addAndGet(-pending.size());
            pending.clear();
        }
    }

    // ---- DELETE /v1/documents/{id} --------------------------------------------------------------------------------

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        String versionParam = query(req, "version");
        if (versionParam == null) {
            throw KeelException.invalid("a delete needs ?version=N, the version of the change (greater than the indexed one)");
        }
        long version;
        try {
            version = Long.parseLong(versionParam);
        } catch (NumberFormatException e) {
            version = -1;
        }
        if (version < 0) throw KeelException.invalid("'version' must be an integer between 0 and " + Long.MAX_VALUE + "; got '" + versionParam + "'");
        DocumentEvents.checkNotFuture(version, "version " + version);
        String collection = collectionParam(req);
        Principal principal = Attribution.caller(req).principal();
        DocumentAccess.checkCollection(principal, collection != null ? collection : config.defaultCollection());
        if (principal != null) {
            String owner = collections.apply(collection != null ? collection : config.defaultCollection()).tenantOf(id).orElse(null);
            if (owner != null && !owner.equals(principal.tenant())) {
                throw KeelException.notFound("no document '" + id + "' in the tenant of the key " + principal.id());
            }
        }
        DocumentEvent event = DocumentEvent.delete(id, collection != null ? collection : config.defaultCollection(), version);
        Results results = new Results(AuditActor.of(Attribution.caller(req)));
        List<Item> pending = new ArrayList<>(List.of(new Item(0, event, Instant.now())));
        inFlight.incrementAndGet();
        apply(pending, results);
        send(res, 200, body(results));
    }

    /** An accepted delete, pushed or sent as {@code DELETE}, is recorded as {@code document.deleted}. */
    private void auditDelete(DocumentEvent event, EventOutcome outcome, AuditActor actor) {
        if (event.op() != DocumentEvent.Op.DELETE || outcome.status() != EventStatus.ACCEPTED) return;
        audit.append(AuditEvent.of(actor, AuditEvent.DOCUMENT_DELETED, "document:" + event.collection() + "/" + event.id(),
                Map.of("collection", event.collection(), "id", event.id(), "version", event.version())));
    }

    // ---- GET /v1/ingestion/status ---------------------------------------------------------------------------------

    private void status(ServerRequest req, ServerResponse res) {
        FreshnessSnapshot s = freshness.snapshot();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode f = body.putObject("freshness");
        f.put("window_seconds", s.window().toSeconds());
        f.put("samples", s.samples());
        f.put("p50_ms", round(s.p50Millis()));
        f.put("p99_ms", round(s.p99Millis()));
        f.put("max_ms", round(s.maxMillis()));
        ObjectNode h = f.putObject("histogram");
        ArrayNode bounds = h.putArray("le_ms");
        FreshnessTracker.BUCKET_BOUNDS_MS.forEach(bounds::add);
        ArrayNode counts = h.putArray("counts");
        for (long c : s.histogram()) counts.add(c);
        h.put("sum_ms", round(s.sumMillis()));
        ObjectNode events = body.putObject("events");
        for (EventStatus st : EventStatus.values()) events.put(st.wireName(), s.count(st));
        ObjectNode errors = body.putObject("errors");
        errors.put("rejected_events", s.count(EventStatus.REJECTED));
        errors.put("failed_batches", s.failedBatches());
        if (s.lastError() != null) {
            errors.put("last_error", s.lastError());
            errors.put("last_error_at", s.lastErrorAt().toString());
        }
        long backlog = inFlight.get();
        if (jobs != null) body.put("queued_job_events", jobs.queuedEvents());
        ArrayNode list = body.putArray("sources");
        ObjectNode http = list.addObject();
        http.put("name", "http");
        http.put("running", true);
        http.put("backlog", inFlight.get());
        for (IngestionSource source : sources.get()) {
            SourceStatus st = source.status();
            backlog += st.backlog();
            ObjectNode o = list.addObject();
            o.put("name", st.name());
            o.put("collection", st.collection());
            o.put("running", st.running());
            o.put("backlog", st.backlog());
            ArrayNode parts = o.putArray("partitions");
            for (PartitionLag lag : st.partitions()) {
                ObjectNode p = parts.addObject();
                p.put("topic", lag.topic());
                p.put("partition", lag.partition());
                p.put("committed_offset", lag.committedOffset());
                p.put("end_offset", lag.endOffset());
                p.put("lag", lag.lag());
            }
        }
        body.put("backlog", backlog);
        send(res, 200, body);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static ObjectNode body(Results results) {
        ObjectNode body = JSON.createObjectNode();
        Map<EventStatus, Integer> counts = new EnumMap<>(EventStatus.class);
        for (EventStatus s : EventStatus.values()) counts.put(s, 0);
        ArrayNode list = JSON.createArrayNode();
        for (EventOutcome o : results.outcomes) {
            counts.merge(o.status(), 1, Integer::sum);
            ObjectNode r = list.addObject();
            if (o.id() != null) r.put("id", o.id());
            if (o.version() >= 0) r.put("version", o.version());
            r.put("status", o.status().wireName());
            if (o.status() == EventStatus.ACCEPTED) r.put("chunks", o.chunks());
            if (o.reason() != null) r.put("reason", o.reason());
        }
        body.put("errors", counts.get(EventStatus.REJECTED) > 0);
        for (EventStatus s : EventStatus.values()) body.put(s.wireName(), counts.get(s));
        ObjectNode versions = body.putObject("index_versions");
        results.versions.forEach(versions::put);
        body.set("results", list);
        return body;
    }

    /** The {@code error} member of Keel's envelope, beside the results of the events applied before the error. */
    private static JsonNode error(KeelException e) {
        return ErrorEnvelope.KEEL.body(e.code(), e.getMessage()).get("error");
    }

    private static void requireJson(ServerRequest req) {
        RequestBody.requireContentType(req, JSON_SUBTYPES, JSON_ADVICE);
    }

    private static String collectionParam(ServerRequest req) {
        String c = query(req, "collection");
        return c == null || c.isBlank() ? null : c;
    }

    private static String query(ServerRequest req, String name) {
        return req.query().contains(name) ? req.query().get(name) : null;
    }

    private static double round(double millis) {
        return Math.round(millis * 10) / 10.0;
    }

    private static void send(ServerResponse res, int status, JsonNode body) {
        HttpJson.send(res, status, body);
    }
}
