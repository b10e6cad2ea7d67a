package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Caller;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEvent;
import io.keel.core.security.AuditQuery;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestPurge;
import io.keel.app.QueryInput;
import io.keel.registry.RegisterRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log as the server wires it: a document delete, a promotion over HTTP and a request-log purge each leave
 * an entry with the caller as actor; {@code GET /v1/audit} lists and filters them; {@code GET /v1/audit/verify}
 * finds a row altered directly in SQL.
 */
class AuditApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Keel keel;
    private static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-audit-test");
        keel = Keel.open(KeelConfig.defaults().withDataDir(dir.resolve("data")));
        server = KeelServer.start(keel, keel.config().server().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return HTTP.send(b.header("X-Keel-Tenant", "acme").header("X-Keel-User", "alice").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path));
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = send(at(path).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void deletesPromotionsAndPurgesAreAuditedListedAndVerified() throws Exception {
        HttpResponse<String> pushed = send(at("/v1/documents?collection=kb").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[{\"op\":\"upsert\",\"id\":\"doc-1\",\"version\":1,\"content\":\"audited text\"},{\"op\":\"upsert\",\"id\":\"doc-2\",\"version\":1,\"content\":\"more text\"}]")));
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        HttpResponse<String> stale = send(at("/v1/documents/doc-1?collection=kb&version=0").DELETE());
        assertThat(stale.statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = send(at("/v1/documents/doc-1?collection=kb&version=2").DELETE());
        assertThat(Json.MAPPER.readTree(deleted.body()).at("/results/0/status").asText()).isEqualTo("accepted");
        HttpResponse<String> pushedDelete = send(at("/v1/documents?collection=kb").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"op\":\"delete\",\"id\":\"doc-2\",\"version\":5}")));
        assertThat(Json.MAPPER.readTree(pushedDelete.body()).at("/results/0/status").asText()).isEqualTo("accepted");

        Map<String, Object> entry = Map.of("name", "audited-llm", "provider", "openai", "model", "gpt-4o-mini",
                "endpoints", List.of("http://127.0.0.1:9/v1"), "price", Map.of("input_per_1m", 0.15, "output_per_1m", 0.6));
        keel.registry().registration(RegisterRequest.of(entry), AuditActor.user("ops"));
        HttpResponse<String> promoted = send(at("/v1/registry/models/audited-llm/promote").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\":1,\"stage\":\"production\",\"note\":\"go\"}")));
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);

        keel.query(new QueryInput("what is audited?", null, null, null, "kb"), "query", new Caller("acme", "bob", null, null));
        keel.query(new QueryInput("and again?", null, null, null, "kb"), "query", new Caller("acme", "carol", null, null));
        int purged = keel.requestErasure().orElseThrow().purge(new RequestPurge("acme", "bob", null), AuditActor.user("dpo"));
        assertThat(purged).isEqualTo(1);
        assertThat(keel.requests().orElseThrow().find(RequestFilter.all())).extracting(r -> r.caller().user()).contains("carol").doesNotContain("bob");

        JsonNode all = getJson("/v1/audit");
        List<String> actions = all.get("data").findValuesAsText("action");
        assertThat(actions).containsExactly(AuditEvent.REQUESTS_PURGED, AuditEvent.MODEL_PROMOTED, AuditEvent.MODEL_REGISTERED,
                AuditEvent.DOCUMENT_DELETED, AuditEvent.DOCUMENT_DELETED);
        assertThat(all.at("/data/3/target").asText()).isEqualTo("document:kb/doc-2");
        assertThat(all.at("/data/3/actor/id").asText()).isEqualTo("alice");
        JsonNode delete = all.at("/data/4");
        assertThat(delete.at("/seq").asLong()).isEqualTo(1);
        assertThat(delete.at("/actor/tenant").asText()).isEqualTo("acme");
        assertThat(delete.at("/actor/id").asText()).isEqualTo("alice");
        assertThat(delete.at("/target").asText()).isEqualTo("document:kb/doc-1");
        assertThat(delete.at("/details/version").asLong()).isEqualTo(2);
        assertThat(all.at("/data/1/actor/id").asText()).isEqualTo("alice");
        assertThat(all.at("/data/1/details/to_version").asInt()).isEqualTo(1);
        assertThat(all.at("/data/0/details/user").asText()).isEqualTo("bob");
        assertThat(all.at("/data/0/details/count").asInt()).isEqualTo(1);
        assertThat(all.at("/data/0/prev_hash").asText()).isEqualTo(all.at("/data/1/hash").asText());

        assertThat(getJson("/v1/audit?action=document.deleted").get("data")).hasSize(2);
        assertThat(getJson("/v1/audit?tenant=acme&actor=alice").get("data")).hasSize(3);
        assertThat(getJson("/v1/audit?limit=2").get("next_before").asLong()).isEqualTo(4);
        assertThat(getJson("/v1/audit?before=4").get("data").findValuesAsText("action"))
                .containsExactly(AuditEvent.MODEL_REGISTERED, AuditEvent.DOCUMENT_DELETED, AuditEvent.DOCUMENT_DELETED);
        HttpResponse<String> bad = send(at("/v1/audit?limit=0").GET());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(send(at("/v1/audit?who=x").GET()).statusCode()).isEqualTo(400);

        JsonNode ok = getJson("/v1/audit/verify");
        assertThat(ok.get("intact").asBoolean()).isTrue();
        assertThat(ok.get("entries").asLong()).isEqualTo(5);

        keel.database().withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER audit_log_no_update");
                return s.executeUpdate("UPDATE audit_log SET actor_id = 'nobody' WHERE seq = 4");
            }
        });
        JsonNode broken = getJson("/v1/audit/verify");
        assertThat(broken.get("intact").asBoolean()).isFalse();
        assertThat(broken.get("first_bad").asLong()).isEqualTo(4);
        assertThat(keel.audit().find(AuditQuery.latest())).hasSize(5);
    }
}
