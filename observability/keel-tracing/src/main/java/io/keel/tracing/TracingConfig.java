package io.keel.tracing;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How Keel traces requests ({@code tracing:} in keel.yaml). Tracing is on by default so every response carries a
 * trace id that logs can be joined on; spans leave the process only when an OTLP endpoint is configured.
 *
 * @param enabled        false: nothing is exported even with an endpoint (a switch that keeps the endpoint
 *                       configured); requests still get a trace id (see {@link RequestSpan})
 * @param otlpEndpoint   base URL of the OTLP collector, e.g. {@code http://collector:4318} for http/protobuf
 *                       ({@code /v1/traces} is appended unless present) or {@code http://collector:4317} for grpc;
 *                       null: nothing is exported and no span is recorded, only trace ids propagate
 * @param protocol       how spans are sent; {@link Protocol#HTTP_PROTOBUF} by default
 * @param headers        extra headers on every export request, e.g. an API key for a hosted collector
 * @param serviceName    the {@code service.name} resource attribute; {@code keel} by default
 * @param serviceVersion the {@code service.version} resource attribute; null: the Keel version
 * @param sampleRatio    fraction of new traces recorded, 0..1; a caller's sampled/not-sampled decision in its
 *                       {@code traceparent} is followed either way
 * @param exportTimeout  how long one export request may take
 */
public record TracingConfig(boolean enabled, URI otlpEndpoint, Protocol protocol, Map<String, String> headers,
                            String serviceName, String serviceVersion, double sampleRatio, Duration exportTimeout) {
    public static final String DEFAULT_SERVICE_NAME = "keel";
    public static final Duration DEFAULT_EXPORT_TIMEOUT = Duration.ofSeconds(10);

    /** The OTLP transports. */
    public enum Protocol {
        HTTP_PROTOBUF("http/protobuf"), GRPC("grpc");

        private final String wireName;

        Protocol(String wireName) {
            this.wireName = wireName;
        }

        /** The name used in configuration and by {@code OTEL_EXPORTER_OTLP_PROTOCOL}. */
        public String wireName() {
            return wireName;
        }

        /** Parses {@code http/protobuf} or {@code grpc}; null means the default. */
        public static Protocol parse(String name) {
            if (name == null || name.isBlank()) return HTTP_PROTOBUF;
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (Protocol p : values()) if (p.wireName.equals(n)) return p;
            throw new IllegalArgumentException("tracing.otlp.protocol must be http/protobuf or grpc; got '" + name + "'");
        }
    }

    public TracingConfig {
        protocol = Objects.requireNonNullElse(protocol, Protocol.HTTP_PROTOBUF);
        if (headers != null) headers.forEach((k, v) -> {
            if (k == null || v == null) throw new IllegalArgumentException("tracing.otlp.headers must not contain null names or values");
        });
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        serviceName = serviceName == null ? DEFAULT_SERVICE_NAME : serviceName.strip();
        serviceVersion = serviceVersion == null || serviceVersion.isBlank() ? null : serviceVersion.strip();
        exportTimeout = Objects.requireNonNullElse(exportTimeout, DEFAULT_EXPORT_TIMEOUT);
        if (otlpEndpoint != null) checkEndpoint(otlpEndpoint);
        headers.forEach(TracingConfig::checkHeader);
        if (serviceName.isEmpty()) throw new IllegalArgumentException("tracing.service_name must not be blank");
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("tracing.sample_ratio must be between 0 and 1; got " + sampleRatio);
        }
        if (exportTimeout.isNegative() || exportTimeout.isZero()) {
            throw new IllegalArgumentException("tracing.otlp.timeout must be positive; got " + exportTimeout);
        }
    }

    /**
     * Reads the {@code tracing} section: {@code enabled}, {@code service_name}, {@code service_version},
     * {@code sample_ratio}, and {@code otlp.endpoint}, {@code otlp.protocol}, {@code otlp.headers}, {@code otlp.timeout}.
     *
     * @throws KeelException naming the key of the first invalid value
     */
    public static TracingConfig from(ConfigNode node) {
        TracingConfig d = defaults();
        ConfigNode otlp = node.child("otlp");
        String endpoint = otlp.string("endpoint", null);
        String protocol = otlp.choice("protocol", Protocol.HTTP_PROTOBUF.wireName(), Protocol.HTTP_PROTOBUF.wireName(), Protocol.GRPC.wireName());
        Map<String, String> headers = otlp.properties("headers");
        boolean enabled = node.bool("enabled", d.enabled());
        String serviceName = node.string("service_name", d.serviceName());
        String serviceVersion = node.string("service_version", null);
        double sampleRatio = node.decimal("sample_ratio", d.sampleRatio(), 0, 1);
        Duration timeout = otlp.duration("timeout", d.exportTimeout(), Duration.ofMillis(1), Duration.ofMinutes(10));
        URI uri;
        try {
            uri = endpoint == null ? null : endpoint(endpoint);
        } catch (IllegalArgumentException e) {
            throw otlp.error("endpoint", "must be the collector's base URL, e.g. http://collector:4318: " + e.getMessage());
        }
        try {
            return new TracingConfig(enabled, uri, Protocol.parse(protocol), headers, serviceName, serviceVersion, sampleRatio, timeout);
        } catch (IllegalArgumentException e) {
            throw KeelException.invalid("configuration: " + e.getMessage());
        }
    }

    /** Tracing on, no endpoint: trace ids only until an endpoint is set. */
    public static TracingConfig defaults() {
        return new TracingConfig(true, null, Protocol.HTTP_PROTOBUF, Map.of(), DEFAULT_SERVICE_NAME, null, 1.0, DEFAULT_EXPORT_TIMEOUT);
    }

    /** Never exports; trace ids only. */
    public static TracingConfig disabled() {
        return defaults().withEnabled(false);
    }

    /** Parses {@code endpoint} as a URL, with a message naming the key when it is not one. */
    public static URI endpoint(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) return null;
        try {
            return new URI(endpoint.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("tracing.otlp.endpoint is not a valid URL: " + e.getMessage(), e);
        }
    }

    public TracingConfig withEnabled(boolean on) {
        return new TracingConfig(on, otlpEndpoint, protocol, headers, serviceName, serviceVersion, sampleRatio, exportTimeout);
    }

    public TracingConfig withOtlp(URI endpoint, Protocol p) {
        return new TracingConfig(enabled, endpoint, p, headers, serviceName, serviceVersion, sampleRatio, exportTimeout);
    }

    public TracingConfig withSampleRatio(double ratio) {
        return new TracingConfig(enabled, otlpEndpoint, protocol, headers, serviceName, serviceVersion, ratio, exportTimeout);
    }

    /** True when spans are sent somewhere. */
    public boolean exports() {
        return enabled && otlpEndpoint != null;
    }

    /** The URL the exporter posts to: for http/protobuf the base endpoint plus {@code /v1/traces}. */
    public String exportUrl() {
        if (otlpEndpoint == null) return null;
        String url = otlpEndpoint.toString();
        if (protocol == Protocol.GRPC || url.endsWith("/v1/traces")) return url;
        return (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/v1/traces";
    }

    private static void checkEndpoint(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("tracing.otlp.endpoint must be an http:// or https:// URL such as "
                    + "http://localhost:4318; got '" + uri + "'");
        }
        if (uri.getHost() == null) throw new IllegalArgumentException("tracing.otlp.endpoint has no host: '" + uri + "'");
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("tracing.otlp.endpoint must not have a query or fragment: '" + uri + "'");
        }
    }

    private static void checkHeader(String name, String value) {
        if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
            throw new IllegalArgumentException("tracing.otlp.headers has an invalid header name '" + name + "'");
        }
        if (value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("tracing.otlp.headers value of '" + name + "' contains a line break");
        }
    }

    @Override
    public String toString() {
        // header values are often credentials: never print them
        return "TracingConfig[enabled=" + enabled + ", otlpEndpoint=" + otlpEndpoint + ", protocol=" + protocol.wireName()
                + ", headers=" + headers.keySet() + ", serviceName=" + serviceName + ", serviceVersion=" + serviceVersion
                + ", sampleRatio=" + sampleRatio + ", exportTimeout=" + exportTimeout + "]";
    }
}
