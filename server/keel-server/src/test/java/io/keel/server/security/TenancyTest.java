package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.http.HttpJson;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.ProgressListener;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.server.KeelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenancy taken from the key on a running server with authentication on: retrieval sees only the key's tenant and
 * groups whatever headers or filters say, the request log and usage are scoped, pushes and deletes stay in the key's
 * tenant, far-future versions are refused, and a key's rate limit answers 429 with Retry-After.
 */
class TenancyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KeelServer server;
    private static String appA, appANoGroup, appB, devA, devB, admin, limited;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-tenancy-test");
        Path a = Files.createDirectories(dir.resolve("a"));
        Path aSecret = Files.createDirectories(dir.resolve("a-secret"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("refunds.md"), "# Refunds\n\nAcme refunds orders within thirty days of delivery.");
        Files.writeString(aSecret.resolve("salaries.md"), "# Salaries\n\nAcme refunds bonus salaries to the finance group only.");
        Files.writeString(b.resolve("refunds.md"), "# Refunds\n\nGlobex refunds orders within ninety days of delivery.");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("enabled", "true")), Map.of());
        Keel keel = Keel.open(config);
        keel.ingest(List.of(a), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("acme", List.of(), Map.of())), ProgressListener.NONE);
        keel.ingest(List.of(aSecret), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("acme", List.of("finance"), Map.of())), ProgressListener.NONE);
        keel.ingest(List.of(b), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("globex", List.of(), Map.of())), ProgressListener.NONE);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC());
        appA = key(keys, "acme", Role.APP, Set.of("finance"), 0);
        appANoGroup = key(keys, "acme", Role.APP, Set.of(), 0);
        appB = key(keys, "globex", Role.APP, Set.of(), 0);
        devA = key(keys, "acme", Role.DEVELOPER, Set.of(), 0);
        devB = key(keys, "globex", Role.DEVELOPER, Set.of(), 0);
        admin = key(keys, "ops", Role.ADMIN, Set.of(), 0);
        limited = key(keys, "acme", Role.VIEWER, Set.of(), 3);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    private static String key(ApiKeyManager keys, String tenant, Role role, Set<String> groups, int rpm) {
        return keys.create(new ApiKeyManager.Spec(tenant, role, null, null, Set.of(), groups, rpm)).secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void retrievalSeesOnlyTheKeysTenantAndGroupsWhateverHeadersAndFiltersSay() throws Exception {
        assertThat(sources(retrieve(appA, "{\"query\":\"refunds\",\"top_k\":10}", null))).containsExactlyInAnyOrder("refunds.md", "salaries.md")
                .allMatch(s -> true);
        assertThat(texts(retrieve(appA, "{\"query\":\"refunds\",\"top_k\":10}", null))).noneMatch(t -> t.contains("Globex"));
        assertThat(texts(retrieve(appANoGroup, "{\"query\":\"refunds salaries\",\"top_k\":10}", null)))
                .isNotEmpty().noneMatch(t -> t.contains("Salaries") || t.contains("Globex"));
        List<String> forged = texts(retrieve(appB, "{\"query\":\"refunds\",\"top_k\":10,\"filters\":{\"tenant\":[\"acme\"],\"acl\":[\"finance\"]}}", "acme"));
        assertThat(forged).isNotEmpty().allMatch(t -> t.contains("Globex"));
        for (String mode : List.of("dense", "bm25", "hybrid")) {
            assertThat(texts(retrieve(appB, "{\"query\":\"Acme refunds salaries\",\"top_k\":10,\"mode\":\"" + mode + "\"}", "acme")))
                    .as(mode).noneMatch(t -> t.contains("Acme"));
        }
        HttpResponse<String> answer = send(appB, "POST", "/v1/query", "{\"question\":\"How long do Acme refunds take?\"}", "acme");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("thirty").doesNotContain("Salaries");
        HttpResponse<String> rag = send(appB, "POST", "/v1/chat/completions",
                "{\"model\":\"rag:default\",\"messages\":[{\"role\":\"user\",\"content\":\"Acme refunds salaries?\"}]}", "acme");
        assertThat(rag.statusCode()).as(rag.body()).isEqualTo(200);
        assertThat(rag.body()).doesNotContain("thirty").doesNotContain("finance group");
    }

    @Test
    void theRequestLogAndUsageAreScopedToTheKeysTenant() throws Exception {
        retrieve(appA, "{\"query\":\"refunds for the log\"}", null);
        retrieve(appB, "{\"query\":\"globex question for the log\"}", "acme");
        JsonNode mine = json(send(devB, "GET", "/v1/requests", null, "acme"));
        assertThat(mine.get("data")).isNotEmpty().allMatch(r -> r.get("tenant").asText().equals("globex"));
        JsonNode theirs = json(send(devA, "GET", "/v1/requests", null, null));
        assertThat(theirs.get("data")).isNotEmpty().allMatch(r -> r.get("tenant").asText().equals("acme"));
        String acmeId = theirs.get("data").get(0).get("id").asText();
        assertThat(send(devB, "GET", "/v1/requests/" + acmeId, null, null).statusCode()).isEqualTo(404);
        assertThat(send(devA, "GET", "/v1/requests/" + acmeId, null, null).statusCode()).isEqualTo(200);
        assertThat(send(devB, "GET", "/v1/requests?tenant=acme", null, null).statusCode()).isEqualTo(403);
        assertThat(send(devB, "GET", "/v1/usage?tenant=acme", null, null).statusCode()).isEqualTo(403);
        JsonNode usage = json(send(devB, "GET", "/v1/usage?group_by=tenant", null, "acme"));
        assertThat(usage.get("data")).isNotEmpty().allMatch(r -> r.get("tenant").asText().equals("globex"));
        JsonNode all = json(send(admin, "GET", "/v1/usage?group_by=tenant", null, null));
        List<String> tenants = new ArrayList<>();
        all.get("data").forEach(r -> tenants.add(r.get("tenant").asText()));
        assertThat(tenants).contains("acme", "globex");

        // an admin's reads of other tenants' records are in the audit log; of its own tenant's, and usage aggregates, not
        assertThat(send(admin, "GET", "/v1/requests/" + acmeId, null, null).statusCode()).isEqualTo(200);
        assertThat(send(admin, "GET", "/v1/requests?tenant=ops", null, null).statusCode()).isEqualTo(200);
        assertThat(send(admin, "GET", "/v1/requests", null, null).statusCode()).isEqualTo(200);
        JsonNode audit = json(send(admin, "GET", "/v1/audit?action=tenant.read", null, null));
        List<String> reads = new ArrayList<>();
        audit.get("data").forEach(e -> reads.add(e.get("target").asText() + " " + e.at("/details/read").asText()));
        assertThat(reads).contains("tenant:* /v1/requests", "tenant:acme request:" + acmeId)
                .noneMatch(r -> r.startsWith("tenant:ops")).noneMatch(r -> r.contains("/v1/usage"));
    }

    @Test
    void pushesAndDeletesStayInTheKeysTenantAndFarFutureVersionsAreRefused() throws Exception {
        JsonNode other = json(send(appB, "POST", "/v1/documents",
                "{\"op\":\"upsert\",\"id\":\"kb/1\",\"version\":1,\"content\":\"Zebra refunds\",\"tenant\":\"acme\"}", null));
        assertThat(other.get("results").get(0).get("status").asText()).isEqualTo("rejected");
        JsonNode own = json(send(appB, "POST", "/v1/documents",
                "{\"op\":\"upsert\",\"id\":\"kb/2\",\"version\":1,\"content\":\"Zebra crossings are refunded by Globex.\"}", null));
        assertThat(own.get("results").get(0).get("status").asText()).as(own.toString()).isEqualTo("accepted");
        assertThat(texts(retrieve(appB, "{\"query\":\"zebra\",\"mode\":\"bm25\"}", null))).anyMatch(t -> t.contains("Zebra"));
        assertThat(texts(retrieve(appA, "{\"query\":\"zebra\",\"mode\":\"bm25\"}", null))).noneMatch(t -> t.contains("Zebra"));
        assertThat(send(appA, "DELETE", "/v1/documents/kb/2?version=5", null, null).statusCode()).isEqualTo(404);
        assertThat(texts(retrieve(appB, "{\"query\":\"zebra\",\"mode\":\"bm25\"}", null))).anyMatch(t -> t.contains("Zebra"));
        JsonNode locked = json(send(appB, "POST", "/v1/documents",
                "{\"op\":\"upsert\",\"id\":\"kb/3\",\"version\":9223372036854775807,\"content\":\"lock\"}", null));
        assertThat(locked.get("results").get(0).get("status").asText()).isEqualTo("rejected");
        assertThat(send(appB, "DELETE", "/v1/documents/kb/2?version=9223372036854775807", null, null).statusCode()).isEqualTo(422);
        assertThat(send(appB, "DELETE", "/v1/documents/kb/2?version=2", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeysRateLimitAnswers429WithRetryAfter() throws Exception {
        SecurityHttp.withinOneMinute();
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 5; i++) {
            last = send(limited, "GET", "/v1/usage", null, null);
            if (last.statusCode() == 200) ok++;
            else break;
        }
        assertThat(ok).isEqualTo(3);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    }

    @Test
    void aServerHeldKeyCanBeNamedOnlyByAnAdminAndOnlyWhenDeclared() throws Exception {
        String entry = "{\"name\":\"exfil\",\"provider\":\"openai\",\"endpoints\":[\"https://attacker.example/v1\"],\"api_key_env\":\"%s\"}";
        HttpResponse<String> dev = send(devA, "POST", "/v1/registry/models", entry.formatted("OPENAI_API_KEY"), null);
        assertThat(dev.statusCode()).as(dev.body()).isEqualTo(403);
        HttpResponse<String> home = send(admin, "POST", "/v1/registry/models", entry.formatted("HOME"), null);
        assertThat(home.statusCode()).as(home.body()).isEqualTo(422);
        assertThat(home.body()).contains("not a declared provider key");
        HttpResponse<String> keyless = send(devA, "POST", "/v1/registry/models",
                "{\"name\":\"local\",\"provider\":\"openai\",\"endpoints\":[\"http://127.0.0.1:9/v1\"]}", null);
        assertThat(keyless.statusCode()).as(keyless.body()).isEqualTo(201);
        assertThat(json(send(devA, "GET", "/v1/registry/models/local", null, null)).toString()).contains(idOf(devA));
    }

    private static String idOf(String key) {
        return key.substring(0, 22);
    }

    private static HttpResponse<String> retrieve(String key, String body, String forgedTenant) throws Exception {
        HttpResponse<String> r = send(key, "POST", "/v1/retrieve", body, forgedTenant);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static List<String> texts(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        json(r).get("results").forEach(h -> out.add(h.get("text").asText()));
        return out;
    }

    private static List<String> sources(HttpResponse<String> r) throws Exception {
        List<String> out = new ArrayList<>();
        json(r).get("results").forEach(h -> out.add(Path.of(h.get("source").asText()).getFileName().toString()));
        return out.stream().distinct().toList();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return HttpJson.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> send(String key, String method, String path, String body, String forgedTenant) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + key);
        if (forgedTenant != null) b.header("X-Keel-Tenant", forgedTenant);
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
