package io.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Times;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditLog;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.RequestStore;
import io.keel.core.spi.UsageQuery;
import io.keel.core.spi.UsageRow;
import io.keel.http.Attribution;
import io.keel.http.HttpJson;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The request log and cost attribution over HTTP:
 * <ul>
 *   <li>{@code GET /v1/requests/{id}}: one record</li>
 *   <li>{@code GET /v1/requests?tenant=&user=&app=&feature=&route=&model=&model_version=&prompt_id=&prompt_version=&status=&from=&to=&before=&limit=}:
 *       newest first; {@code next_before} pages on</li>
 *   <li>{@code GET /v1/usage?group_by=tenant,model&from=&to=&tenant=}: requests, tokens and exact cost per group</li>
 * </ul>
 * Times are ISO-8601 instants ({@code 2026-11-29T10:00:00Z}) or dates ({@code 2026-11-29}, meaning its UTC midnight).
 */
final class RequestsService implements HttpService {
    private static final Set<String> FIND_PARAMS = Set.of("tenant", "user", "app", "feature", "route", "model", "model_version",
            "prompt_id", "prompt_version", "status", "from", "to", "before", "limit");
    private static final Set<String> USAGE_PARAMS = Set.of("group_by", "from", "to", "tenant");

    private final Optional<RequestStore> store;
    private final AuditLog audit;

    /** @param audit where an admin's reads of other tenants' records are recorded */
    RequestsService(Optional<RequestStore> store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** The caller named by the {@code X-Keel-*} headers of a request. */
    static Caller caller(ServerRequest req) {
        return Attribution.caller(req);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/requests/{id}", this::one)
                .get("/v1/requests", this::find)
                .get("/v1/usage", this::usage);
    }

    private RequestStore store() {
        return store.orElseThrow(() -> new KeelException(ErrorCode.NOT_FOUND,
                "the request log is disabled (request_log.enabled: false); enable it to read requests and usage"));
    }

    private void one(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Principal p = caller(req).principal();
        RequestRecord r = store().get(id)
                .filter(rec -> p == null || p.has(Role.ADMIN) || rec.caller().tenant().equals(p.tenant()))
                .orElseThrow(() -> KeelException.notFound("no request with id '" + id + "'"));
        if (p != null && !r.caller().tenant().equals(p.tenant())) auditRead(req, p, r.caller().tenant(), "request:" + id);
        HttpJson.send(res, 200, Json.request(r));
    }

    private void find(ServerRequest req, ServerResponse res) {
        Params p = new Params(req, FIND_PARAMS);
        String limit = p.get("limit");
        int n;
        try {
            n = limit == null ? RequestFilter.DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'limit' must be a whole number; got '" + limit + "'");
        }
        RequestFilter filter = new RequestFilter(tenantScope(req, p.get("tenant"), audit, true), p.get("user"), p.get("app"), p.get("feature"), p.get("route"),
                p.get("model"), p.get("model_version"), p.get("prompt_id"), plusSign(p.get("prompt_version")), p.get("status"),
                p.time("from"), p.time("to"), p.get("before"), n);
        List<RequestRecord> rows = store().find(filter);
        ObjectNode body = Json.MAPPER.createObjectNode();
        var data = body.putArray("data");
        rows.forEach(r -> data.add(Json.request(r)));
        body.put("next_before", rows.size() == n ? rows.getLast().id() : null);
        HttpJson.send(res, 200, body);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        Params p = new Params(req, USAGE_PARAMS);
        String groupBy = p.get("group_by");
        List<String> dims = groupBy == null || groupBy.isBlank() ? List.of()
                : Arrays.stream(groupBy.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        UsageQuery query = new UsageQuery(dims, p.time("from"), p.time("to"), tenantScope(req, p.get("tenant"), audit, false));
        List<UsageRow> rows = store().usage(query);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.set("group_by", Json.MAPPER.valueToTree(dims));
        var data = body.putArray("data");
        for (UsageRow r : rows) {
            ObjectNode n = data.addObject();
            r.group().forEach(n::put);
            n.put("requests", r.requests());
            n.put("errors", r.errors());
            n.put("prompt_tokens", r.promptTokens());
            n.put("completion_tokens", r.completionTokens());
            n.put("estimated_requests", r.estimatedRequests());
            n.put("cost_usd", r.costUsd().toPlainString());
        }
        HttpJson.send(res, 200, body);
    }

    /**
     * The tenant a read is limited to: the key's own for every role but admin (asking for another is a 403); an admin
     * key, or open mode, reads the tenant asked for (all when none). An admin's read of another tenant's (or all
     * tenants') records is written to the audit log ({@code tenant.read}); usage, which holds counts and costs but no
     * text, is not, so a dashboard's aggregates do not fill the log.
     *
     * @param records whether the read returns request records (questions, answers, contexts)
     */
    private static String tenantScope(ServerRequest req, String requested, AuditLog audit, boolean records) {
        Principal p = caller(req).principal();
        if (records && p != null && p.has(Role.ADMIN) && !p.tenant().equals(requested)) {
            auditRead(audit, req, p, requested == null ? "*" : requested, req.path().path());
            return requested;
        }
        if (p == null || p.has(Role.ADMIN)) return requested;
        if (requested != null && !requested.equals(p.tenant())) {
            throw new KeelException(ErrorCode.FORBIDDEN, "the key " + p.id() + " reads the records of its tenant '" + p.tenant()
                    + "' only; drop ?tenant= or use an admin key");
        }
        return p.tenant();
    }

    /** Records that admin {@code p} read tenant {@code tenant}'s records (all tenants' as {@code *}). */
    private void auditRead(ServerRequest req, Principal p, String tenant, String what) {
        auditRead(audit, req, p, tenant, what);
    }

    private static void auditRead(AuditLog audit, ServerRequest req, Principal p, String tenant, String what) {
        audit.append(AuditEvent.of(new AuditActor(p.tenant(), p.user() != null ? p.user() : p.id()), AuditEvent.TENANT_READ,
                "tenant:" + clipped(tenant), Map.of("read", clipped(what), "route", req.prologue().method().text() + " "
                        + clipped(req.path().path()))));
    }

    /** A caller-chosen name as an audit entry keeps it: at most 200 characters, so any name asked for is recorded. */
    private static String clipped(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    /** Prompt versions look like {@code 1.0.0+53ff1eb1466c}; an unencoded '+' arrives as a space. */
    private static String plusSign(String version) {
        return version == null ? null : version.replace(' ', '+');
    }

    /** Query parameters, checked against the names a route accepts. */
    private static final class Params {
        private final ServerRequest req;

        Params(ServerRequest req, Set<String> allowed) {
            this.req = req;
            for (String name : req.query().names()) {
                if (!allowed.contains(name)) {
                    throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + allowed.stream().sorted().toList());
                }
            }
        }

        String get(String name) {
            return req.query().first(name).filter(v -> !v.isBlank()).orElse(null);
        }

        Instant time(String name) {
            return Times.parse(name, get(name));
        }
    }
}
