package io.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.QuarantineRelease;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.http.Attribution;
import io.keel.core.spi.QuarantineStore;
import io.keel.core.spi.QuarantinedChunk;
import io.keel.http.HttpJson;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The chunks held back at ingestion. Admin only: the texts are what the screen judged to be attacks planted in
 * documents.
 * <ul>
 *   <li>{@code GET /v1/quarantine?collection=&limit=}: newest first, each with its collection, document, position,
 *       reason and text, and how many there are in all.</li>
 *   <li>{@code POST /v1/quarantine/{id}/release}: a reviewed chunk goes into the index beside its document's other
 *       chunks and leaves the list; audited as {@code quarantine.released}.</li>
 *   <li>{@code POST /v1/quarantine/{id}/recheck}: screened again with the current policy; released as above when it
 *       is no longer flagged, otherwise kept with the new reason.</li>
 * </ul>
 */
final class QuarantineService implements HttpService {
    private static final Set<String> PARAMS = Set.of("collection", "limit");
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    /** Screens a quarantined chunk again; the reason it is still held, or empty when it was released. */
    @FunctionalInterface
    interface Recheck {
        java.util.Optional<String> recheck(long id, AuditActor actor);
    }

    private final Supplier<QuarantineStore> store;
    private final Supplier<QuarantineRelease> release;
    private final Recheck recheck;

    QuarantineService(Supplier<QuarantineStore> store, Supplier<QuarantineRelease> release, Recheck recheck) {
        this.store = store;
        this.release = release;
        this.recheck = recheck;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/quarantine", this::list)
                .post("/v1/quarantine/{id}/release", this::release)
                .post("/v1/quarantine/{id}/recheck", this::recheck);
    }

    private static long id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw KeelException.notFound("no quarantined chunk '" + raw + "'");
        }
    }

    private void recheck(ServerRequest req, ServerResponse res) {
        long id = id(req);
        java.util.Optional<String> still = recheck.recheck(id, AuditActor.of(Attribution.caller(req)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", id);
        body.put("released", still.isEmpty());
        still.ifPresent(r -> body.put("reason", r));
        HttpJson.send(res, 200, body);
    }

    private void release(ServerRequest req, ServerResponse res) {
        long id = id(req);
        QuarantinedChunk c = release.get().release(id, AuditActor.of(Attribution.caller(req)));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", c.id());
        body.put("released", true);
        body.put("collection", c.collection());
        body.put("document_id", c.documentId());
        body.put("ordinal", c.ordinal());
        HttpJson.send(res, 200, body);
    }

    private void list(ServerRequest req, ServerResponse res) {
        for (String name : req.query().names()) {
            if (!PARAMS.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + PARAMS.stream().sorted().toList());
            }
        }
        String collection = req.query().contains("collection") ? req.query().get("collection") : null;
        if (collection != null && collection.isBlank()) collection = null;
        int limit = DEFAULT_LIMIT;
        if (req.query().contains("limit")) {
            String l = req.query().get("limit");
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) throw KeelException.invalid("'limit' must be between 1 and " + MAX_LIMIT + "; got '" + l + "'");
        }
        QuarantineStore s = store.get();
        List<QuarantinedChunk> chunks = s.list(collection, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("total", s.count(collection));
        var list = body.putArray("chunks");
        for (QuarantinedChunk c : chunks) {
            ObjectNode o = list.addObject();
            o.put("id", c.id());
            o.put("collection", c.collection());
            o.put("document_id", c.documentId());
            o.put("ordinal", c.ordinal());
            o.put("reason", c.reason());
            o.put("text", c.text());
            o.put("quarantined_at", c.at().toString());
        }
        HttpJson.send(res, 200, body);
    }
}
