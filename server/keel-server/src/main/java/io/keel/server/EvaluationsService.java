package io.keel.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.app.replay.EvaluationJson;
import io.keel.app.replay.EvaluationRun;
import io.keel.app.replay.EvaluationStore;
import io.keel.core.error.KeelException;
import io.keel.http.HttpJson;

import java.util.Objects;
import java.util.Set;

/**
 * Evaluation runs ({@code keel replay}) over HTTP:
 * <ul>
 *   <li>{@code GET /v1/evaluations/{id}}: the spec, the aggregate summary, the gate verdict (null without a gate) and
 *       one row per replayed request</li>
 *   <li>{@code GET /v1/evaluations?limit=}: the newest runs first, without their rows (default 20, at most 1000)</li>
 * </ul>
 */
final class EvaluationsService implements HttpService {
    static final int DEFAULT_LIMIT = 20;

    private final EvaluationStore store;

    /** @param store usually {@code new EvaluationStore(keel.database())} */
    EvaluationsService(EvaluationStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/evaluations/{id}", this::one)
                .get("/v1/evaluations", this::list);
    }

    private void one(ServerRequest req, ServerResponse res) {
        params(req, Set.of());
        String id = req.path().pathParameters().get("id");
        EvaluationRun run = store.get(id).orElseThrow(() -> KeelException.notFound("no evaluation run with id '" + id + "'"));
        HttpJson.send(res, 200, EvaluationJson.run(run, true));
    }

    private void list(ServerRequest req, ServerResponse res) {
        params(req, Set.of("limit"));
        String limit = req.query().first("limit").filter(v -> !v.isBlank()).orElse(null);
        int n;
        try {
            n = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw KeelException.invalid("'limit' must be a whole number; got '" + limit + "'");
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        store.list(n).forEach(run -> data.add(EvaluationJson.run(run, false)));
        HttpJson.send(res, 200, body);
    }

    private static void params(ServerRequest req, Set<String> allowed) {
        for (String name : req.query().names()) {
            if (!allowed.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + allowed.stream().sorted().toList());
            }
        }
    }
}
