package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.quality.QualityConfig;
import io.keel.tracing.TracingConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the {@code tracing:} and {@code quality:} sections into their components' settings. */
final class ObservabilitySettings {
    private ObservabilitySettings() {
    }

    static TracingConfig tracing(ConfigNode n) {
        TracingConfig d = TracingConfig.defaults();
        ConfigNode otlp = n.child("otlp");
        Map<String, String> headers = new LinkedHashMap<>();
        otlp.child("headers").asMap().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        otlp.raw("headers");
        try {
            String endpoint = otlp.string("endpoint", null);
            return new TracingConfig(n.bool("enabled", d.enabled()),
                    endpoint == null || endpoint.isBlank() ? null : TracingConfig.endpoint(endpoint),
                    TracingConfig.Protocol.parse(otlp.string("protocol", null)), headers,
                    n.string("service_name", d.serviceName()), n.string("service_version", null),
                    n.decimal("sample_ratio", d.sampleRatio(), 0, 1), otlp.duration("timeout", d.exportTimeout()));
        } catch (IllegalArgumentException e) {
            throw KeelException.invalid("configuration: " + e.getMessage());
        }
    }

    static QualityConfig quality(ConfigNode n) {
        QualityConfig d = QualityConfig.defaults();
        ConfigNode drift = n.child("drift");
        return new QualityConfig(n.bool("enabled", d.enabled()),
                n.decimal("weak_hit_cosine", d.weakHitCosine(), -1, 1),
                n.decimal("weak_hit_term_coverage", d.weakHitTermCoverage(), 0, 1),
                n.decimal("support_overlap", d.supportOverlap(), 0, 1),
                n.decimal("support_cosine", d.supportCosine(), -1, 1),
                n.integer("context_cache_size", d.contextCacheSize(), 0, 10_000_000),
                drift.integer("half_life", d.driftHalfLife(), 1, 10_000_000),
                drift.decimal("alert_threshold", d.driftAlertThreshold(), 0.000001, 2),
                drift.integer("min_queries", d.driftMinQueries(), 1, 10_000_000));
    }
}
