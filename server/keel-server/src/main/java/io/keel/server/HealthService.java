package io.keel.server;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.keel.app.Keel;
import io.keel.http.HttpJson;

/**
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: the model and index are loaded and
 * queries are served — the server only listens once they are, so it answers 200 with what it serves.
 */
final class HealthService implements HttpService {
    private final Keel keel;

    HealthService(Keel keel) {
        this.keel = keel;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (req, res) -> HttpJson.send(res, 200, Json.MAPPER.createObjectNode().put("status", "live")))
                .get("/health/ready", (req, res) -> {
                    var body = Json.MAPPER.createObjectNode().put("status", "ready");
                    body.put("embedding_model", keel.embedder().info().fingerprint());
                    body.set("collections", Json.MAPPER.valueToTree(keel.indexes().collections()));
                    HttpJson.send(res, 200, body);
                });
    }
}
