package io.keel.tracing;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Exports to a stand-in OTLP/HTTP collector on the loopback interface. */
class OtlpExportTest {
    record Received(String method, String path, String contentType, String apiKey, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer collector;

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), exchange.getRequestHeaders().getFirst("X-Api-Key"), body));
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
            exchange.close();
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void spansArePostedAsProtobufToV1Traces() {
        URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort());
        TracingConfig config = new TracingConfig(true, endpoint, TracingConfig.Protocol.HTTP_PROTOBUF,
                Map.of("X-Api-Key", "k1"), "keel-test", null, 1.0, Duration.ofSeconds(5));
        String traceId;
        try (KeelTracing tracing = new KeelTracing(config)) {
            RequestSpan span = tracing.startRequest("/v1/query", "POST", null);
            traceId = span.traceId();
            span.end(200, null);
            assertThat(span.sampled()).isTrue();
            assertThat(tracing.forceFlush(Duration.ofSeconds(10))).isTrue();
        }

        assertThat(received).isNotEmpty();
        Received r = received.getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/traces");
        assertThat(r.contentType()).isEqualTo("application/x-protobuf");
        assertThat(r.apiKey()).isEqualTo("k1");
        assertThat(r.body()).isNotEmpty();
        // the protobuf carries the trace id as 16 raw bytes and the service name as a string
        assertThat(indexOf(r.body(), hex(traceId))).isNotNegative();
        assertThat(indexOf(r.body(), "keel-test".getBytes())).isNotNegative();
    }

    @Test
    void closingFlushesWhatIsQueued() {
        URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
        try (KeelTracing tracing = new KeelTracing(TracingConfig.defaults().withOtlp(endpoint, null))) {
            tracing.startRequest("/v1/query", "POST", null).end(200, null);
        }
        assertThat(received).extracting(Received::path).containsExactly("/v1/traces");
    }

    @Test
    void aGrpcExporterIsBuiltAndAnUnreachableCollectorDoesNotHangShutdown() {
        URI nowhere = URI.create("http://127.0.0.1:" + collector.getAddress().getPort()); // speaks HTTP/1.1, not gRPC
        TracingConfig config = new TracingConfig(true, nowhere, TracingConfig.Protocol.GRPC, Map.of(), null, null, 1.0,
                Duration.ofMillis(500));
        long start = System.nanoTime();
        try (KeelTracing tracing = new KeelTracing(config)) {
            assertThat(tracing.recording()).isTrue();
            tracing.startRequest("/v1/query", "POST", null).end(200, null);
            tracing.forceFlush(Duration.ofSeconds(3)); // the failed export is logged by the SDK, not thrown
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
