package io.keel.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.budget.Budget;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;
import io.keel.core.spi.IndexInfo;
import io.keel.core.security.Role;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The read-only JSON routes the console's pages need and the rest of the API does not serve, each scoped to the
 * caller's tenant as {@code /v1/usage} is (an admin key reads every tenant, or the one asked for):
 * <ul>
 *   <li>{@code GET /v1/console/latency?from=&to=&tenant=&buckets=}: requests, errors and per-stage p50/p95 latency
 *       over time ({@link LatencySeries})</li>
 *   <li>{@code GET /v1/console/guards?from=&to=&tenant=}: blocked requests and guard findings by type and policy,
 *       recent prompt-injection detections ({@link GuardSummary})</li>
 *   <li>{@code GET /v1/console/budgets?tenant=}: each configured budget with its spend this period, day by day
 *       ({@link BudgetBurn})</li>
 *   <li>{@code GET /v1/console/collections}: each collection's documents, chunks, index version and embedding model</li>
 * </ul>
 * Latency and guard figures are computed over the newest {@value #SAMPLE} records in the window, which the answer
 * says ({@code sample}, {@code truncated}), so a page costs the same however large the log grows.
 */
public final class ConsoleApiService implements HttpService {
    /** How many of the newest records a latency or guard summary reads. */
    static final int SAMPLE = 500;
    private static final Set<String> WINDOW_PARAMS = Set.of("from", "to", "tenant", "buckets");

    private final Optional<RequestStore> store;
    private final List<Budget> budgets;
    private final Supplier<List<IndexInfo>> collections;

    /**
     * @param store       the request log, empty when it is disabled
     * @param budgets     the configured budgets
     * @param collections what each collection holds, read at each call
     */
    public ConsoleApiService(Optional<RequestStore> store, List<Budget> budgets, Supplier<List<IndexInfo>> collections) {
        this.store = store;
        this.budgets = List.copyOf(budgets);
        this.collections = collections;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/console/latency", this::latency)
                .get("/v1/console/guards", this::guards)
                .get("/v1/console/budgets", this::budgets)
                .get("/v1/console/collections", this::collections);
    }

    private RequestStore store() {
        return store.orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "the request log is disabled (request_log.enabled: false); enable it to see traffic in the console"));
    }

    private void latency(ServerRequest req, ServerResponse res) {
        checkParams(req, WINDOW_PARAMS);
        int buckets = intParam(req, "buckets", 12, 1, 200);
        List<RequestRecord> rows = sample(req);
        ObjectNode body = LatencySeries.of(rows, buckets).toJson();
        body.put("sample", rows.size()).put("truncated", rows.size() == SAMPLE);
        HttpJson.send(res, 200, body);
    }

    private void guards(ServerRequest req, ServerResponse res) {
        checkParams(req, Set.of("from", "to", "tenant"));
        List<RequestRecord> rows = sample(req);
        ObjectNode body = GuardSummary.of(rows).toJson();
        body.put("sample", rows.size()).put("truncated", rows.size() == SAMPLE);
        HttpJson.send(res, 200, body);
    }

    private void budgets(ServerRequest req, ServerResponse res) {
        checkParams(req, Set.of("tenant"));
        Principal p = Attribution.caller(req).principal();
        String tenant = tenantScope(p, param(req, "tenant"));
        ArrayNode data = HttpJson.MAPPER.createArrayNode();
        new BudgetBurn(store(), budgets, Instant.now()).forTenant(tenant).forEach(data::add);
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        body.set("data", data);
        HttpJson.send(res, 200, body);
    }

    private void collections(ServerRequest req, ServerResponse res) {
        checkParams(req, Set.of());
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (IndexInfo i : collections.get()) {
            data.addObject().put("collection", i.collection()).put("documents", i.documents()).put("chunks", i.chunks())
                    .put("version", i.version()).put("embedding_model", i.embeddingModel());
        }
        HttpJson.send(res, 200, body);
    }

    private List<RequestRecord> sample(ServerRequest req) {
        Principal p = Attribution.caller(req).principal();
        Instant from = time(req, "from");
        Instant to = time(req, "to");
        return store().find(new RequestFilter(tenantScope(p, param(req, "tenant")), null, null, null, null, null, null, null,
                null, null, from, to, null, SAMPLE));
    }

    /** The caller's own tenant for every role but admin (asking for another is a 403); an admin reads the one asked for. */
    static String tenantScope(Principal p, String requested) {
        if (p == null || p.has(Role.ADMIN)) return requested;
        if (requested != null && !requested.equals(p.tenant())) {
            throw new KeelException(ErrorCode.FORBIDDEN, "the key " + p.id() + " reads the records of its tenant '" + p.tenant()
                    + "' only; drop ?tenant= or use an admin key");
        }
        return p.tenant();
    }

    private static void checkParams(ServerRequest req, Set<String> allowed) {
        for (String name : req.query().names()) {
            if (!allowed.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + allowed.stream().sorted().toList());
            }
        }
    }

    private static String param(ServerRequest req, String name) {
        return req.query().first(name).filter(v -> !v.isBlank()).orElse(null);
    }

    private static int intParam(ServerRequest req, String name, int dflt, int min, int max) {
        String v = param(req, name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw KeelException.invalid("'" + name + "' must be a whole number from " + min + " to " + max + "; got '" + v + "'");
    }

    private static Instant time(ServerRequest req, String name) {
        String v = param(req, name);
        if (v == null) return null;
        try {
            return v.length() == 10 ? java.time.LocalDate.parse(v).atStartOfDay(java.time.ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw KeelException.invalid("'" + name + "' must be an ISO-8601 instant (2026-11-29T10:00:00Z) or a date (2026-11-29); got '" + v + "'");
        }
    }
}
