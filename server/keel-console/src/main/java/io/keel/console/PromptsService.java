package io.keel.console;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.keel.core.error.KeelException;
import io.keel.http.HttpJson;
import io.keel.prompts.LabelChange;
import io.keel.prompts.PromptDiff;
import io.keel.prompts.PromptStore;
import io.keel.prompts.PromptVersion;
import io.keel.prompts.StoredPrompt;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The prompt store, read-only, for the console's models and prompts page (pushing, labelling and rolling back stay
 * with {@code keel prompts}, which audits them):
 * <ul>
 *   <li>{@code GET /v1/console/prompts}: each prompt id with its number of versions and its labels</li>
 *   <li>{@code GET /v1/console/prompts/{id}}: its versions (newest first), labels and every label's history</li>
 *   <li>{@code GET /v1/console/prompts/{id}/diff?from=REF&to=REF}: a unified diff of two versions (a label, a
 *       semver, a hash or {@code semver+hash}, as {@code keel prompts diff} takes)</li>
 * </ul>
 */
public final class PromptsService implements HttpService {
    private final PromptStore store;

    public PromptsService(PromptStore store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/v1/console/prompts", this::list)
                .get("/v1/console/prompts/{id}", this::show)
                .get("/v1/console/prompts/{id}/diff", this::diff);
    }

    private void list(ServerRequest req, ServerResponse res) {
        params(req, Set.of());
        ObjectNode body = HttpJson.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : store.ids()) {
            ObjectNode n = data.addObject().put("id", id).put("versions", store.versions(id).size());
            labels(n.putObject("labels"), store.labels(id));
        }
        HttpJson.send(res, 200, body);
    }

    private void show(ServerRequest req, ServerResponse res) {
        params(req, Set.of());
        String id = req.path().pathParameters().get("id");
        List<StoredPrompt> versions = store.versions(id);
        if (versions.isEmpty()) throw KeelException.notFound("no prompt '" + id + "'; known: " + store.ids());
        ObjectNode body = HttpJson.MAPPER.createObjectNode().put("id", id);
        ArrayNode vs = body.putArray("versions");
        for (StoredPrompt p : versions.reversed()) {
            vs.addObject().put("ref", p.version().ref()).put("semver", p.version().semver()).put("hash", p.version().hash())
                    .put("pushed_by", p.pushedBy()).put("pushed_at", p.pushedAt().toString());
        }
        Map<String, PromptVersion> labels = store.labels(id);
        labels(body.putObject("labels"), labels);
        ArrayNode history = body.putArray("history");
        for (String label : labels.keySet()) {
            for (LabelChange c : store.history(id, label)) {
                history.addObject().put("label", c.label()).put("action", c.action()).put("from_hash", c.fromHash())
                        .put("to_hash", c.toHash()).put("actor", c.actor()).put("at", c.at().toString());
            }
        }
        HttpJson.send(res, 200, body);
    }

    private void diff(ServerRequest req, ServerResponse res) {
        params(req, Set.of("from", "to"));
        String id = req.path().pathParameters().get("id");
        String from = req.query().first("from").orElseThrow(() -> KeelException.invalid("'from' is required: a label, semver or hash of " + id));
        String to = req.query().first("to").orElseThrow(() -> KeelException.invalid("'to' is required: a label, semver or hash of " + id));
        StoredPrompt a = store.resolve(id, from.replace(' ', '+'));
        StoredPrompt b = store.resolve(id, to.replace(' ', '+'));
        ObjectNode body = HttpJson.MAPPER.createObjectNode().put("id", id).put("from", a.version().ref()).put("to", b.version().ref())
                .put("diff", PromptDiff.unified(id + "@" + a.version().ref(), a.content(), id + "@" + b.version().ref(), b.content()));
        HttpJson.send(res, 200, body);
    }

    private static void labels(ObjectNode n, Map<String, PromptVersion> labels) {
        labels.forEach((label, v) -> n.put(label, v.ref()));
    }

    private static void params(ServerRequest req, Set<String> allowed) {
        for (String name : req.query().names()) {
            if (!allowed.contains(name)) {
                throw KeelException.invalid("unknown query parameter '" + name + "'; accepted: " + allowed.stream().sorted().toList());
            }
        }
    }
}
