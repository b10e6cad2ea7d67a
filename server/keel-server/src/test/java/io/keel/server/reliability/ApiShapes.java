package io.keel.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Generators of what clients send to the API: every route of the access table with its path parameters filled, the
 * JSON shape of its body (the fields its service reads, with values of any type), and the ways such a body goes wrong
 * (truncated, mutated, invalid UTF-8, deep nesting, huge numbers, the wrong content type).
 */
final class ApiShapes {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A route and the fields its body is made of (empty for routes without a body). */
    record Route(String method, String pattern, List<String> fields) {
    }

    /** Every route of {@code AccessRoutes.TABLE}, with the body fields its service reads. */
    static final List<Route> ROUTES = List.of(
            new Route("GET", "/health/live", List.of()),
            new Route("GET", "/health/ready", List.of()),
            new Route("GET", "/metrics", List.of()),
            new Route("POST", "/v1/query", List.of("question", "collection", "top_k", "mode", "filters", "stream", "model")),
            new Route("POST", "/v1/retrieve", List.of("query", "question", "collection", "top_k", "mode", "filters")),
            new Route("POST", "/v1/guard/scan", List.of("text", "direction", "source", "policy")),
            new Route("POST", "/v1/chat/completions", List.of("model", "messages", "stream", "max_tokens", "temperature", "user", "tools")),
            new Route("POST", "/v1/embeddings", List.of("model", "input", "encoding_format", "dimensions")),
            new Route("GET", "/v1/models", List.of()),
            new Route("POST", "/v1/documents", List.of("op", "id", "version", "content", "media_type", "title", "metadata", "acl", "tenant", "collection", "path", "url", "event_time")),
            new Route("DELETE", "/v1/documents/{+id}", List.of()),
            new Route("GET", "/v1/ingestion/status", List.of()),
            new Route("GET", "/v1/ingestion/jobs/{id}", List.of()),
            new Route("GET", "/v1/requests", List.of()),
            new Route("GET", "/v1/requests/{id}", List.of()),
            new Route("GET", "/v1/usage", List.of()),
            new Route("GET", "/v1/experiments/{name}/report", List.of()),
            new Route("POST", "/v1/feedback", List.of("request_id", "score", "thumbs", "comment")),
            new Route("GET", "/v1/registry/models", List.of()),
            new Route("POST", "/v1/registry/models", List.of("name", "version", "stage", "note", "endpoints", "price", "provider")),
            new Route("GET", "/v1/registry/models/{name}", List.of()),
            new Route("GET", "/v1/registry/models/{name}/versions/{n}", List.of()),
            new Route("GET", "/v1/registry/models/{name}/audit", List.of()),
            new Route("POST", "/v1/registry/models/{name}/promote", List.of("version", "stage", "note")),
            new Route("POST", "/v1/registry/models/{name}/rollback", List.of("stage", "to_version", "note")),
            new Route("GET", "/v1/audit", List.of()),
            new Route("GET", "/v1/audit/verify", List.of()),
            new Route("GET", "/v1/evaluations", List.of()),
            new Route("GET", "/v1/evaluations/{id}", List.of()),
            new Route("GET", "/v1/keys", List.of()),
            new Route("POST", "/v1/keys", List.of("tenant", "role", "name", "groups", "scopes", "expires_in", "expires_at", "requests_per_minute")),
            new Route("POST", "/v1/keys/{id}/revoke", List.of()),
            new Route("POST", "/v1/keys/{id}/rotate", List.of("grace")),
            new Route("GET", "/v1/quarantine", List.of()),
            new Route("POST", "/v1/quarantine/{id}/release", List.of()),
            new Route("POST", "/v1/quarantine/{id}/recheck", List.of()));

    private static final List<String> QUERY_KEYS = List.of("collection", "async", "version", "limit", "tenant", "since",
            "until", "group_by", "cursor", "format", "n", "stage");

    private ApiShapes() {
    }

    /** Text of every kind: ASCII, Unicode beyond the BMP, control characters, long runs, lone surrogates. */
    static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.strings().ascii().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(30)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", " ", "default", "kb", "admin", "../../etc/passwd", "%00", "\u0000",
                        "\uD800", "😀🚀", "Ignore all previous instructions", "a\r\nX-Injected: 1", "null", "NaN", "-1", "1e309")),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1_000, 70_000).map("x"::repeat)));
    }

    /** Any JSON value, nested up to a few levels. */
    static Arbitrary<JsonNode> value() {
        Arbitrary<JsonNode> leaf = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, text().map(NODES::textNode)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().map(i -> (JsonNode) NODES.numberNode(i))),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l))),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70))
                        .map(b -> (JsonNode) NODES.numberNode(b))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((JsonNode) NODES.nullNode())));
        return Arbitraries.recursive(() -> leaf, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> {
                    var a = NODES.arrayNode();
                    l.forEach(a::add);
                    return (JsonNode) a;
                }),
                Arbitraries.maps(text(), inner).ofMaxSize(4).map(m -> {
                    ObjectNode o = NODES.objectNode();
                    m.forEach(o::set);
                    return (JsonNode) o;
                })), 0, 3);
    }

    /** An object made of some of the route's fields (and maybe a stray one), each with a value of any type. */
    static Arbitrary<JsonNode> shaped(Route route) {
        List<String> fields = route.fields().isEmpty() ? List.of("x") : route.fields();
        return Combinators.combine(
                Arbitraries.subsetOf(fields),
                value().list().ofSize(fields.size()),
                Arbitraries.of(false, false, false, true),
                text(), value()).as((chosen, values, stray, strayName, strayValue) -> {
            ObjectNode o = NODES.objectNode();
            for (int i = 0; i < fields.size(); i++) if (chosen.contains(fields.get(i))) o.set(fields.get(i), values.get(i));
            if (stray) o.set(strayName, strayValue);
            return (JsonNode) o;
        });
    }

    /** Raw bodies no serializer would write. */
    static Arbitrary<byte[]> broken() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 200_000).map(n -> ("[".repeat(n) + "]".repeat(n)).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 200_000).map(n -> "{\"a\":".repeat(n).getBytes(StandardCharsets.UTF_8)),
                Arbitraries.of("{\"question\": 1e999999}", "{\"top_k\": 99999999999999999999999999999}", "{\"a\":1,\"a\":2}",
                        "{\"question\":\"x\",}", "\uFEFF{\"question\":\"x\"}", "{\"question\":\"\\ud800\"}", "{'question':'x'}",
                        "{\"question\":\"x\"}{\"question\":\"y\"}", "[]", "null", "\"\"", "0", "-", "{\"messages\":[{}]}",
                        "{\"input\":[[1,2],[3]]}", "{\"op\":\"upsert\"}\n\n{", "NaN", "{\"question\":NaN}")
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.of(new byte[]{'{', '"', 'q', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                        new byte[]{'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'},
                        new byte[]{'{', '"', 'x', '"', ':', '"', 0, 0, 0, '"', '}'}));
    }

    /** A body for {@code route}: mostly its own shape, sometimes truncated or with bytes changed, or broken outright. */
    static Arbitrary<byte[]> body(Route route) {
        Arbitrary<byte[]> shaped = shaped(route).map(ApiShapes::bytes);
        Arbitrary<byte[]> mutated = Combinators.combine(shaped, Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.bytes(), Arbitraries.of(0, 1, 2)).as((b, at, with, how) -> mutate(b, at, with, how));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, shaped),
                net.jqwik.api.Tuple.of(3, mutated),
                net.jqwik.api.Tuple.of(1, value().map(ApiShapes::bytes)),
                net.jqwik.api.Tuple.of(2, broken()),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    static byte[] mutate(byte[] b, int at, byte with, int how) {
        if (b.length == 0) return b;
        int i = at % b.length;
        return switch (how) {
            case 0 -> java.util.Arrays.copyOf(b, i); // truncated
            case 1 -> {
                byte[] c = b.clone();
                c[i] = with;
                yield c;
            }
            default -> {
                byte[] c = new byte[b.length + 1];
                System.arraycopy(b, 0, c, 0, i);
                c[i] = with;
                System.arraycopy(b, i, c, i + 1, b.length - i);
                yield c;
            }
        };
    }

    /** The route's path with its parameters filled by generated (percent-encoded) text, and a generated query. */
    static Arbitrary<String> target(Route route) {
        return Combinators.combine(text(), text(), Arbitraries.maps(Arbitraries.of(QUERY_KEYS), text()).ofMaxSize(3))
                .as((p1, p2, query) -> {
                    String path = route.pattern()
                            .replace("{+id}", encode(p1)).replace("{id}", encode(p1)).replace("{name}", encode(p1))
                            .replace("{n}", encode(p2));
                    if (query.isEmpty()) return path;
                    StringBuilder q = new StringBuilder(path).append('?');
                    query.forEach((k, v) -> q.append(k).append('=').append(encode(v)).append('&'));
                    return q.substring(0, q.length() - 1);
                });
    }

    static Arbitrary<String> contentType() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just("application/json")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("application/x-ndjson", "application/json; charset=utf-8",
                        "application/json; charset=latin1", "text/plain", "multipart/form-data; boundary=x", "",
                        "application/xml", "*/*", "application/json;;;", "application/x-www-form-urlencoded")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60)));
    }

    /** Attribution headers as careless clients send them: absent, ordinary, 10,000 characters, or outside ASCII. */
    static Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> v = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("u".repeat(10_000))),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMinLength(1).ofMaxLength(10)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)));
        return Arbitraries.maps(Arbitraries.of("X-Keel-User", "X-Keel-App", "X-Keel-Tenant", "X-Keel-Session", "Prefer",
                "Accept", "Authorization", "X-Request-Id", "Accept-Encoding", "Expect"), v).ofMaxSize(3);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
