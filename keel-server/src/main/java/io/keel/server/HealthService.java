package io.keel.server;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.keel.app.Keel;

import java.util.function.Supplier;

/**
 * {@code GET /health/live}: the process answers. {@code GET /health/ready}: the model and index are loaded and
 * queries will be served (503 until then, and after a failed start, with the reason).
 */
final class HealthService implements HttpService {
    private final Supplier<KeelServer.State> state;

    HealthService(Supplier<KeelServer.State> state) {
        this.state = state;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (req, res) -> Http.send(res, 200, Json.MAPPER.createObjectNode().put("status", "live")))
                .get("/health/ready", (req, res) -> {
                    KeelServer.State s = state.get();
                    var body = Json.MAPPER.createObjectNode().put("status", s.ready() ? "ready" : s.failure() != null ? "failed" : "starting");
                    if (s.failure() != null) body.put("reason", s.failure());
                    if (s.ready()) {
                        Keel keel = s.keel();
                        body.put("embedding_model", keel.embedder().info().fingerprint());
                        body.set("collections", Json.MAPPER.valueToTree(keel.indexes().collections()));
                    }
                    Http.send(res, s.ready() ? 200 : 503, body);
                });
    }

    static Supplier<Keel> readyKeel(Supplier<KeelServer.State> state) {
        return () -> {
            KeelServer.State s = state.get();
            if (s.ready()) return s.keel();
            throw io.keel.core.error.KeelException.unavailable(s.failure() != null
                    ? "Keel failed to start: " + s.failure()
                    : "Keel is still loading its model and index; retry shortly (GET /health/ready says when)");
        };
    }
}
