package io.keel.tracing;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TracingConfigTest {
    private static TracingConfig with(URI endpoint, Map<String, String> headers, String service, double ratio, Duration timeout) {
        return new TracingConfig(true, endpoint, null, headers, service, null, ratio, timeout);
    }

    @Test
    void defaultsTraceWithoutExporting() {
        TracingConfig d = TracingConfig.defaults();
        assertThat(d.enabled()).isTrue();
        assertThat(d.exports()).isFalse();
        assertThat(d.protocol()).isEqualTo(TracingConfig.Protocol.HTTP_PROTOBUF);
        assertThat(d.serviceName()).isEqualTo("keel");
        assertThat(d.sampleRatio()).isEqualTo(1.0);
        assertThat(d.exportTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(TracingConfig.disabled().enabled()).isFalse();
        assertThat(with(null, null, null, 1, null)).isEqualTo(d);
    }

    @Test
    void theHttpExportUrlGetsTheTracesPathOnce() {
        TracingConfig c = TracingConfig.defaults();
        assertThat(c.withOtlp(URI.create("http://collector:4318"), null).exportUrl()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(c.withOtlp(URI.create("http://collector:4318/"), null).exportUrl()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(c.withOtlp(URI.create("https://otel.example/v1/traces"), null).exportUrl()).isEqualTo("https://otel.example/v1/traces");
        assertThat(c.withOtlp(URI.create("http://collector:4317"), TracingConfig.Protocol.GRPC).exportUrl()).isEqualTo("http://collector:4317");
        assertThat(c.withOtlp(URI.create("http://collector:4318"), null).withEnabled(false).exports()).isFalse();
    }

    @Test
    void protocolsParseByTheirOtelNames() {
        assertThat(TracingConfig.Protocol.parse("grpc")).isEqualTo(TracingConfig.Protocol.GRPC);
        assertThat(TracingConfig.Protocol.parse(" HTTP/protobuf ")).isEqualTo(TracingConfig.Protocol.HTTP_PROTOBUF);
        assertThat(TracingConfig.Protocol.parse(null)).isEqualTo(TracingConfig.Protocol.HTTP_PROTOBUF);
        assertThatThrownBy(() -> TracingConfig.Protocol.parse("http/json"))
                .hasMessage("tracing.otlp.protocol must be http/protobuf or grpc; got 'http/json'");
    }

    @Test
    void badValuesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> with(URI.create("collector:4318"), null, null, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tracing.otlp.endpoint must be an http:// or https:// URL");
        assertThatThrownBy(() -> with(URI.create("ftp://collector"), null, null, 1, null)).hasMessageContaining("tracing.otlp.endpoint");
        assertThatThrownBy(() -> with(URI.create("http://collector:4318?x=1"), null, null, 1, null)).hasMessageContaining("query");
        assertThatThrownBy(() -> TracingConfig.endpoint("http://bad host")).hasMessageContaining("tracing.otlp.endpoint is not a valid URL");
        assertThat(TracingConfig.endpoint("  ")).isNull();
        assertThatThrownBy(() -> with(null, null, " ", 1, null)).hasMessage("tracing.service_name must not be blank");
        assertThatThrownBy(() -> with(null, null, null, 1.5, null)).hasMessage("tracing.sample_ratio must be between 0 and 1; got 1.5");
        assertThatThrownBy(() -> with(null, null, null, Double.NaN, null)).hasMessageContaining("tracing.sample_ratio");
        assertThatThrownBy(() -> with(null, null, null, 1, Duration.ZERO)).hasMessageContaining("tracing.otlp.timeout must be positive");
        assertThatThrownBy(() -> with(null, Map.of("bad name", "v"), null, 1, null)).hasMessageContaining("invalid header name 'bad name'");
        assertThatThrownBy(() -> with(null, Map.of("x-key", "a\r\nb"), null, 1, null)).hasMessageContaining("line break");
        Map<String, String> nulls = new HashMap<>();
        nulls.put("x-key", null);
        assertThatThrownBy(() -> with(null, nulls, null, 1, null)).hasMessageContaining("null");
    }

    @Test
    void headerValuesNeverShowInToString() {
        TracingConfig c = with(URI.create("https://otel.example"), Map.of("api-key", "s3cr3t"), null, 1, null);
        assertThat(c.toString()).contains("api-key").doesNotContain("s3cr3t");
    }
}
