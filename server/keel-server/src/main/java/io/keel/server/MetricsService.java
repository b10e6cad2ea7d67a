package io.keel.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.keel.metrics.KeelMetrics;

import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: every meter in the Prometheus text format. */
final class MetricsService implements HttpService {
    private final KeelMetrics metrics;

    MetricsService(KeelMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/metrics", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
        });
    }
}
