package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.GeneratorConfig;
import io.keel.app.config.KeelConfig;
import io.keel.ingest.ProgressListener;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import io.keel.test.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of a model version on a running server: registered through the API, promoted and rolled back without a
 * restart, each answer's lineage naming the version that produced it, and the request log listing exactly the
 * outputs of one version.
 */
class ModelLifecycleTest {
    @TempDir
    static Path dir;
    private static FakeOpenAiServer v1Upstream;
    private static FakeOpenAiServer v2Upstream;
    private static KeelServer server;
    private static Keel keel;

    @BeforeAll
    static void start() throws Exception {
        Path docs = TestFiles.folder(dir, "docs",
                "leave.md",
                "# Leave\n\nEmployees get 28 days of paid leave per year.\n");
        v1Upstream = new FakeOpenAiServer().defaultReply(Reply.text("Version one says 28 days [1].").withUsage(100, 10));
        v2Upstream = new FakeOpenAiServer().defaultReply(Reply.text("Version two says twenty-eight days [1].").withUsage(100, 12));
        KeelConfig base = KeelConfig.defaults().withDataDir(dir.resolve("data"));
        KeelConfig config = base.withModels(List.of(entry(v1Upstream)),
                new GeneratorConfig("answerer", false, null, null, base.generator().extractive()));
        keel = Keel.open(config);
        keel.ingest(List.of(docs), null, ProgressListener.NONE);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    private static Map<String, Object> entry(FakeOpenAiServer upstream) {
        return upstream.modelEntry("answerer");
    }

    @AfterAll
    static void stop() {
        server.close();
        v1Upstream.close();
        v2Upstream.close();
    }

    @Test
    void promotionAndRollbackChangeTheServedModelWithoutARestartAndLineageNamesTheVersion() throws Exception {
        JsonNode first = ask();
        assertThat(first.get("answer").asText()).startsWith("Version one");
        assertThat(first.at("/lineage/generator").asText()).isEqualTo("answerer");
        assertThat(first.at("/lineage/model_version").asText()).isEqualTo("1");
        assertThat(first.at("/lineage/prompt_id").asText()).isEqualTo("rag-answer");
        assertThat(first.at("/lineage/guard_policy").asText()).startsWith("default@");
        assertThat(first.at("/lineage/index_version").asText()).isEqualTo("default@1");
        assertThat(first.at("/lineage/retrieval/hash").asText()).hasSize(12);

        String body = Json.MAPPER.writeValueAsString(entry(v2Upstream));
        HttpResponse<String> registered = send("POST", "/v1/registry/models", body.substring(0, body.length() - 1) + ",\"notes\":\"faster replica\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(Json.MAPPER.readTree(registered.body()).get("version").asInt()).isEqualTo(2);
        assertThat(ask().get("answer").asText()).as("a development version is not served").startsWith("Version one");

        HttpResponse<String> promoted = send("POST", "/v1/registry/models/answerer/promote", "{\"version\":2,\"stage\":\"production\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode second = ask();
        assertThat(second.get("answer").asText()).startsWith("Version two");
        assertThat(second.at("/lineage/model_version").asText()).isEqualTo("2");

        HttpResponse<String> rolledBack = send("POST", "/v1/registry/models/answerer/rollback", "{\"stage\":\"production\"}");
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        JsonNode third = ask();
        assertThat(third.get("answer").asText()).startsWith("Version one");
        assertThat(third.at("/lineage/model_version").asText()).isEqualTo("1");

        JsonNode audit = Json.MAPPER.readTree(send("GET", "/v1/registry/models/answerer/audit", null).body());
        assertThat(audit.toString()).contains("promote").contains("rollback");

        // The log lists exactly the outputs of each version.
        Set<String> byV2 = ids(send("GET", "/v1/requests?model=answerer&model_version=2", null));
        assertThat(byV2).containsExactly(second.get("id").asText());
        Set<String> byV1 = ids(send("GET", "/v1/requests?model=answerer&model_version=1", null));
        assertThat(byV1).contains(first.get("id").asText(), third.get("id").asText()).doesNotContain(second.get("id").asText());
        String prompt = first.at("/lineage/prompt_version").asText();
        Set<String> byPrompt = ids(send("GET", "/v1/requests?prompt_id=rag-answer&prompt_version=" + prompt.replace("+", "%2B"), null));
        assertThat(byPrompt).contains(first.get("id").asText(), second.get("id").asText(), third.get("id").asText());
    }

    @Test
    void aModelWhoseVersionsAreAllArchivedDisappearsFromTheModelList() throws Exception {
        Map<String, Object> spare = new java.util.LinkedHashMap<>(entry(v2Upstream));
        spare.put("name", "spare");
        spare.put("stage", "production");
        HttpResponse<String> registered = send("POST", "/v1/registry/models", Json.MAPPER.writeValueAsString(spare));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        keel.watchRegistry(java.time.Duration.ofMillis(100));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!modelIds().contains("spare") && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(modelIds()).contains("spare", "answerer");
        HttpResponse<String> archived = send("POST", "/v1/registry/models/spare/promote", "{\"version\":1,\"stage\":\"archived\"}");
        assertThat(archived.statusCode()).as(archived.body()).isEqualTo(200);
        assertThat(modelIds()).doesNotContain("spare").contains("answerer");
    }

    private static Set<String> modelIds() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/models", null);
        assertThat(r.statusCode()).isEqualTo(200);
        return new HashSet<>(Json.MAPPER.readTree(r.body()).get("data").findValuesAsText("id"));
    }

    private static Set<String> ids(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new HashSet<>(Json.MAPPER.readTree(r.body()).get("data").findValuesAsText("id"));
    }

    private static JsonNode ask() throws Exception {
        HttpResponse<String> r = send("POST", "/v1/query", "{\"question\":\"How many days of paid leave do employees get?\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return TestHttp.send(server.port(), method, path, body == null ? null : "application/json", body,
                "X-Keel-User", "release-manager");
    }
}
