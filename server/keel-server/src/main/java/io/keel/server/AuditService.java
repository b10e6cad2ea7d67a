package io.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.Times;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditLog;
import io.keel.core.security.AuditQuery;
import io.keel.core.security.AuditVerification;
import io.keel.http.HttpJson;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The audit log over HTTP, read-only:
 * <ul>
 *   <li>{@code GET /v1/audit?from=&to=&tenant=&actor=&action=&before=&limit=}: entries newest first, with their
 *       position and hashes; {@code next_before} pages on. {@code tenant} and {@code actor} filter on who acted.</li>
 *   <li>{@code GET /v1/audit/verify}: walks the chain; {@code intact}, the entry count, the head hash, and when broken
 *       the first bad entry and what is wrong with it.</li>
 * </ul>
 */
final class AuditService implements HttpService {
    private static final Set<String> PARAMS = Set.of("from", "to", "tenant", "actor", "action", "before", "limit");

    private final AuditLog audit;

    AuditService(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/audit/verify", this::verify)
                .get("/v1/audit", this::find);
    }

    private void find(ServerRequest req, ServerResponse res) {
        for (String name : req.query().names()) {
            if (!PARAMS.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + PARAMS.stream().sorted().toList());
            }
        }
        int limit = (int) number(req, "limit", AuditQuery.DEFAULT_LIMIT);
        String before = param(req, "before");
        AuditQuery q = new AuditQuery(Times.parse("from", param(req, "from")), Times.parse("to", param(req, "to")),
                param(req, "tenant"), param(req, "actor"), param(req, "action"),
                before == null ? null : number(req, "before", 0), limit);
        List<AuditEntry> rows = audit.find(q);
        ObjectNode body = Json.MAPPER.createObjectNode();
        var data = body.putArray("data");
        rows.forEach(e -> data.add(entry(e)));
        if (rows.size() == limit) body.put("next_before", rows.getLast().seq());
        else body.putNull("next_before");
        HttpJson.send(res, 200, body);
    }

    private void verify(ServerRequest req, ServerResponse res) {
        AuditVerification v = audit.verify();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("intact", v.intact());
        body.put("entries", v.entries());
        body.put("head_hash", v.headHash());
        if (!v.intact()) {
            body.put("first_bad", v.firstBad());
            body.put("problem", v.problem());
        }
        HttpJson.send(res, 200, body);
    }

    static ObjectNode entry(AuditEntry e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("seq", e.seq());
        n.put("time", e.event().at().toString());
        n.putObject("actor").put("tenant", e.event().actor().tenant()).put("id", e.event().actor().id());
        n.put("action", e.event().action());
        n.put("target", e.event().target());
        n.set("details", Json.MAPPER.valueToTree(e.event().details()));
        n.put("prev_hash", e.prevHash());
        n.put("hash", e.hash());
        return n;
    }

    private static String param(ServerRequest req, String name) {
        return req.query().first(name).filter(v -> !v.isBlank()).orElse(null);
    }

    private static long number(ServerRequest req, String name, long def) {
        String v = param(req, name);
        if (v == null) return def;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'" + name + "' must be a whole number; got '" + v + "'");
        }
    }
}
