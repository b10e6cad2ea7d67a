package io.keel.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.keel.core.answer.Caller;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The kit on a real Helidon server (port 0): bodies, envelopes, error handling and the attribution headers. */
class HttpKitTest {
    /** A second envelope, as an API mirroring another vendor's would have. */
    private static final ErrorEnvelope OTHER = (code, message) -> {
        var body = HttpJson.MAPPER.createObjectNode();
        body.putObject("error").put("message", message).put("type", "vendor_" + code.wireName());
        return body;
    };
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static WebServer server;
    private static String base;

    @BeforeAll
    static void start() {
        server = WebServer.builder().port(0).routing(r -> {
            r.addFilter(Attribution.filter(path -> path.startsWith("/other") ? OTHER : ErrorEnvelope.KEEL));
            r.post("/echo", (req, res) -> HttpJson.send(res, 200, RequestBody.readObject(req, 64, "test.max_bytes")));
            r.post("/optional", (req, res) -> {
                RequestBody.requireJson(req);
                HttpJson.send(res, 200, RequestBody.parseObjectOrEmpty(RequestBody.read(req, 64, null)));
            });
            r.post("/ndjson", (req, res) -> {
                RequestBody.requireContentType(req, Set.of("x-ndjson"), "send NDJSON");
                HttpJson.send(res, 200, HttpJson.MAPPER.createObjectNode().put("ok", true));
            });
            r.get("/caller", (req, res) -> {
                Caller c = Attribution.caller(req);
                HttpJson.send(res, 200, HttpJson.MAPPER.createObjectNode().put("tenant", c.tenant()).put("user", c.user()));
            });
            r.get("/other/fail", ErrorHandling.guarded((req, res) -> {
                throw KeelException.notFound("no such thing");
            }, OTHER));
            r.get("/other/crash", ErrorHandling.guarded((req, res) -> {
                throw new IllegalStateException("secret detail");
            }, OTHER));
            r.get("/fail", (req, res) -> {
                throw new KeelException(ErrorCode.CONFLICT, "already there");
            });
            r.get("/other/ok", (req, res) -> HttpJson.send(res, 200, HttpJson.MAPPER.createObjectNode()));
            ErrorHandling.register(r, path -> path.startsWith("/other") ? OTHER : ErrorEnvelope.KEEL);
        }).build().start();
        base = "http://localhost:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        return new Answer(r.statusCode(), HttpJson.MAPPER.readTree(r.body()));
    }

    private static Answer post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        return send(b);
    }

    private static void assertKeelError(Answer a, int status, String code, String message) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
        assertThat(a.body().at("/error/code").asText()).isEqualTo(code);
        assertThat(a.body().at("/error/message").asText()).contains(message);
    }

    @Test
    void readsAJsonObjectWithinTheLimit() throws Exception {
        Answer a = post("/echo", "application/json", "{\"a\":[1,2.5,\"x\"]}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().toString()).isEqualTo("{\"a\":[1,2.5,\"x\"]}");
        assertThat(post("/echo", "application/x-www-form-urlencoded", "{\"curl\":true}").status()).isEqualTo(200);
        assertThat(post("/echo", "application/vnd.keel+json", "{}").status()).isEqualTo(200);
        assertThat(post("/echo", null, "{}").status()).isEqualTo(200);
    }

    @Test
    void refusesBadBodiesWithTheRightStatus() throws Exception {
        assertKeelError(post("/echo", "application/json", "{\"a\":\"" + "x".repeat(100) + "\"}"), 413, "payload_too_large",
                "the limit is 64 bytes (test.max_bytes)");
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(base + "/echo")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> // no Content-Length: sent chunked
                        new ByteArrayInputStream(("{\"a\":\"" + "y".repeat(200) + "\"}").getBytes(StandardCharsets.UTF_8))));
        assertKeelError(send(chunked), 413, "payload_too_large", "is too large; the limit is 64 bytes");
        assertKeelError(post("/echo", "text/plain", "{}"), 415, "unsupported_media_type", "'text/plain' is not supported");
        assertKeelError(post("/echo", "application/json", "{\"a\":"), 400, "invalid_request", "the body is not valid JSON");
        assertKeelError(post("/echo", "application/json", "{\"a\":1,\"a\":2}"), 400, "invalid_request", "Duplicate field 'a'");
        assertKeelError(post("/echo", "application/json", "[1]"), 400, "invalid_request", "the body must be a JSON object");
        assertKeelError(post("/echo", "application/json", ""), 400, "invalid_request", "the body is empty");
        assertKeelError(post("/echo", "application/json", "  \n"), 400, "invalid_request", "the body is empty");
    }

    @Test
    void anEmptyOptionalBodyIsAnEmptyObject() throws Exception {
        Answer a = post("/optional", "application/json", "");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().toString()).isEqualTo("{}");
        assertKeelError(post("/optional", "application/json", "7"), 400, "invalid_request", "JSON object");
    }

    @Test
    void aRouteMayAcceptItsOwnContentTypes() throws Exception {
        assertThat(post("/ndjson", "application/x-ndjson", "{}\n{}").status()).isEqualTo(200);
        assertKeelError(post("/ndjson", "application/xml", "<a/>"), 415, "unsupported_media_type", "send NDJSON");
    }

    @Test
    void errorsTakeTheEnvelopeOfTheirRoute() throws Exception {
        assertKeelError(send(HttpRequest.newBuilder(URI.create(base + "/fail"))), 409, "conflict", "already there");

        Answer guarded = send(HttpRequest.newBuilder(URI.create(base + "/other/fail")));
        assertThat(guarded.status()).isEqualTo(404);
        assertThat(guarded.body().toString()).isEqualTo("{\"error\":{\"message\":\"no such thing\",\"type\":\"vendor_not_found\"}}");

        Answer crash = send(HttpRequest.newBuilder(URI.create(base + "/other/crash")));
        assertThat(crash.status()).isEqualTo(500);
        assertThat(crash.body().at("/error/message").asText()).startsWith("internal error (reference ").doesNotContain("secret");
    }

    @Test
    void attributionHeadersAreReadAndAnInvalidOneIsABadRequestBeforeAnyRoute() throws Exception {
        Answer ok = send(HttpRequest.newBuilder(URI.create(base + "/caller")).header("X-Keel-Tenant", "acme")
                .header("X-Keel-User", " alice "));
        assertThat(ok.body().toString()).isEqualTo("{\"tenant\":\"acme\",\"user\":\"alice\"}");
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/caller"))).body().get("tenant").asText()).isEqualTo("default");

        for (String path : new String[] {"/caller", "/fail", "/nowhere"}) {
            assertKeelError(send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Keel-User", "u".repeat(10_000))),
                    400, "invalid_request", "the user tag must be 1-128 characters");
            assertKeelError(send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Keel-App", "my app")),
                    400, "invalid_request", "the app tag");
        }
        Answer other = send(HttpRequest.newBuilder(URI.create(base + "/other/ok")).header("X-Keel-Feature", "a;b"));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().at("/error/type").asText()).isEqualTo("vendor_invalid_request");
    }
}
