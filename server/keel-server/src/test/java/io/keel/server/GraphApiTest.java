package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.ingest.IngestOptions;
import io.keel.ingest.ProgressListener;
import io.keel.ingest.parse.DocumentDefaults;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The knowledge graph on a running server with authentication on: entity look-ups show only evidence from documents
 * the key's tenant and groups may read, an entity known only from hidden documents is a 404, a viewer key is refused,
 * bad input is a 400, and mode graph answers with the entity path that led to each citation.
 */
class GraphApiTest {
    @TempDir
    static Path dir;
    private static KeelServer server;
    private static String appA, appANoGroup, appB, viewerA;

    @BeforeAll
    static void start() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path aSecret = Files.createDirectories(dir.resolve("a-secret"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("refunds.md"), "# Refunds\n\nAcme Corporation refunds orders shipped from Rotterdam within thirty days.");
        Files.writeString(a.resolve("rotterdam.md"), "# Rotterdam\n\nRotterdam is the largest port of Europe, on the Nieuwe Maas.");
        Files.writeString(aSecret.resolve("salaries.md"), "# Salaries\n\nAcme Corporation pays bonus salaries from Zurich to the finance group.");
        Files.writeString(b.resolve("refunds.md"), "# Refunds\n\nGlobex Industries refunds orders from Berlin within ninety days.");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "auth", Map.of("enabled", "true"), "graph", Map.of("enabled", true)), Map.of());
        Keel keel = Keel.open(config);
        keel.ingest(List.of(a), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("acme", List.of(), Map.of())), ProgressListener.NONE);
        keel.ingest(List.of(aSecret), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("acme", List.of("finance"), Map.of())), ProgressListener.NONE);
        keel.ingest(List.of(b), null, IngestOptions.defaults().withDocumentDefaults(new DocumentDefaults("globex", List.of(), Map.of())), ProgressListener.NONE);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC());
        appA = key(keys, "acme", Role.APP, Set.of("finance"));
        appANoGroup = key(keys, "acme", Role.APP, Set.of());
        appB = key(keys, "globex", Role.APP, Set.of());
        viewerA = key(keys, "acme", Role.VIEWER, Set.of());
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    private static String key(ApiKeyManager keys, String tenant, Role role, Set<String> groups) {
        return keys.create(new ApiKeyManager.Spec(tenant, role, null, null, Set.of(), groups, 0)).secret();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> get(String key, String path) throws Exception {
        return TestHttp.send(server.port(), "GET", path, null, null, "Authorization", "Bearer " + key, "X-Keel-Tenant", "acme");
    }

    private static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.json(r);
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.get("name").asText()));
        return out;
    }

    private static String find(String key, String q) throws Exception {
        JsonNode data = ok(get(key, "/v1/graph/entities?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8))).get("data");
        return data.isEmpty() ? null : data.get(0).get("id").asText();
    }

    @Test
    void entityEvidenceComesOnlyFromDocumentsTheKeyMayRead() throws Exception {
        String acme = find(appANoGroup, "acme corp");
        assertThat(acme).isNotNull();
        JsonNode open = ok(get(appANoGroup, "/v1/graph/entities/" + acme));
        assertThat(open.get("name").asText()).isEqualTo("Acme Corporation");
        assertThat(open.get("mentions")).hasSize(1);
        assertThat(open.toString()).doesNotContain("salaries").doesNotContain("Zurich").doesNotContain("Globex");
        assertThat(names(open.get("neighbours"))).contains("Rotterdam");

        JsonNode finance = ok(get(appA, "/v1/graph/entities/" + acme));
        assertThat(finance.get("mentions")).hasSize(2);
        assertThat(names(finance.get("neighbours"))).contains("Rotterdam", "Zurich");

        String zurich = find(appA, "Zurich");
        assertThat(zurich).isNotNull();
        assertThat(find(appANoGroup, "Zurich")).isNull();
        assertThat(get(appANoGroup, "/v1/graph/entities/" + zurich).statusCode()).isEqualTo(404);
        assertThat(get(appB, "/v1/graph/entities/" + acme).statusCode()).isEqualTo(404);
        assertThat(find(appB, "acme")).isNull();
        assertThat(find(appB, "Globex")).isNotNull();
    }

    @Test
    void aViewerKeyIsRefusedAndBadInputIsAStructured400() throws Exception {
        assertThat(get(viewerA, "/v1/graph/entities?q=acme").statusCode()).isEqualTo(403);
        assertThat(get(viewerA, "/v1/graph/entities/e0123456789abcdef").statusCode()).isEqualTo(403);
        for (String path : List.of("/v1/graph/entities", "/v1/graph/entities?q=acme&limit=lots", "/v1/graph/entities?q=acme&limit=0",
                "/v1/graph/entities?q=acme&colour=red", "/v1/graph/entities?q=acme&collection=Bad%20Name")) {
            HttpResponse<String> r = get(appA, path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(TestHttp.json(r).get("error").get("code").asText()).as(path).isNotBlank();
        }
        assertThat(get(appA, "/v1/graph/entities/not-an-id").statusCode()).isEqualTo(404);
    }

    @Test
    void modeGraphCitesWithTheEntityPathAndStaysInTheKeysTenant() throws Exception {
        HttpResponse<String> r = TestHttp.send(server.port(), "POST", "/v1/query", "application/json",
                "{\"question\":\"Which port do Acme Corporation refunds ship from?\",\"mode\":\"graph\"}", "Authorization", "Bearer " + appANoGroup);
        JsonNode answer = ok(r);
        assertThat(answer.get("citations")).isNotEmpty();
        assertThat(answer.get("citations").get(0).get("graph_path")).isNotEmpty();
        assertThat(answer.toString()).doesNotContain("Zurich").doesNotContain("Globex");
        assertThat(answer.get("lineage").toString()).contains("graph");

        // The walk ranks the finance-only chunk (it mentions Acme Corporation and Zurich) high for this question; the
        // expansion search that would fetch it runs under the key's ACL, so a key without the group never gets it.
        JsonNode noGroup = ok(TestHttp.send(server.port(), "POST", "/v1/retrieve", "application/json",
                "{\"query\":\"Acme Corporation bonus salaries Zurich finance\",\"mode\":\"graph\",\"top_k\":10}",
                "Authorization", "Bearer " + appANoGroup));
        assertThat(noGroup.get("results")).isNotEmpty().noneSatisfy(h -> assertThat(h.get("text").asText()).contains("Zurich"));
        JsonNode finance = ok(TestHttp.send(server.port(), "POST", "/v1/retrieve", "application/json",
                "{\"query\":\"Acme Corporation bonus salaries Zurich finance\",\"mode\":\"graph\",\"top_k\":10}",
                "Authorization", "Bearer " + appA));
        assertThat(finance.get("results")).anySatisfy(h -> assertThat(h.get("text").asText()).contains("Zurich"));

        JsonNode hits = ok(TestHttp.send(server.port(), "POST", "/v1/retrieve", "application/json",
                "{\"query\":\"Acme Corporation refunds salaries Globex\",\"mode\":\"graph\",\"top_k\":10}", "Authorization", "Bearer " + appB));
        assertThat(hits.get("results")).isNotEmpty().allSatisfy(h -> assertThat(h.get("text").asText()).contains("Globex"));
    }
}
