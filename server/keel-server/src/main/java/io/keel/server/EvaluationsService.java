package io.keel.server;

import io.keel.core.answer.Caller;
import io.keel.core.security.Role;
import io.keel.http.Attribution;
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
 * A run replays logged requests, so it holds their questions and answers: an authenticated caller who is not an admin
 * sees only runs restricted to its own tenant ({@code keel replay --tenant}); a run over every tenant's traffic, or
 * another tenant's, is a 404 to it and missing from its list.
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
        Caller caller = Attribution.caller(req);
        EvaluationRun run = store.get(id).filter(r -> visible(r, caller))
                .orElseThrow(() -> KeelException.notFound("no evaluation run with id '" + id + "'"));
        HttpJson.send(res, 200, EvaluationJson.run(run, true));
    }

    /** An authenticated caller that is not an admin: it reads only runs over its own tenant. */
    private static boolean restricted(Caller caller) {
        return caller.principal() != null && !caller.principal().has(Role.ADMIN);
    }

    private static boolean visible(EvaluationRun run, Caller caller) {
        return !restricted(caller) || caller.principal().tenant().equals(run.spec().tenant());
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
        Caller caller = Attribution.caller(req);
        if (restricted(caller)) {
            if (n < 1 || n > EvaluationStore.MAX_LIST) store.list(n); // the same 400 as for everyone
            store.list(EvaluationStore.MAX_LIST).stream().filter(run -> visible(run, caller)).limit(n)
                    .forEach(run -> data.add(EvaluationJson.run(run, false)));
        } else {
            store.list(n).forEach(run -> data.add(EvaluationJson.run(run, false)));
        }
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
