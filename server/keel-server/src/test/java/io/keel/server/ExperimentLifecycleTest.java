package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.ingest.ProgressListener;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import io.keel.test.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment's life through the API: created as a draft (nothing changes), started (traffic is split), promoted
 * (the answer prompt's served label moves to the winner's version and the generator model gets a registry version
 * with the winner's model, in one call), after which every request is answered the winner's way, outside any
 * experiment; each step is in the audit log with its actor, and mistakes get clear errors.
 */
class ExperimentLifecycleTest {
    private static final String DEFINITION = """
            name: detailed-big
            unit: user
            targeting: {routes: [/v1/query]}
            variants:
              - name: control
              - name: winner
                overrides: {prompt: "2.0.0", model: big}
            """;
    @TempDir
    static Path dir;
    private static FakeOpenAiServer upstream;
    private static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAiServer().responder(request -> Reply.text("answer by "
                + (request.body().contains("\"gpt-4o\"") ? "gpt-4o" : "gpt-4o-mini") + " [1]").withUsage(100, 20));
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "models", List.of(upstream.modelEntry("small"), upstream.modelEntry("big", "gpt-4o", 5.0, 15.0)),
                "generator", Map.of("backend", "model", "model", "small"),
                "prompts", Map.of("label", "production")), Map.of());
        AnswerPrompts.push(config, "production");
        Keel keel = Keel.open(config);
        keel.ingest(List.of(TestFiles.folder(dir, "handbook", TestFiles.HANDBOOK)), null, ProgressListener.NONE);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    private static HttpResponse<String> call(String method, String path, String user, String body) throws Exception {
        return TestHttp.send(server.port(), method, path, "application/json", body, "X-Keel-User", user);
    }

    private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return TestHttp.json(r);
    }

    private static String definition(String yaml) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("definition", yaml));
    }

    private static JsonNode ask(String user) throws Exception {
        return ok(call("POST", "/v1/query", user, "{\"question\":\"How long are customer records kept?\"}"), 200);
    }

    @Test
    void createStartPromoteEachAuditedAndTheWinnerServesEveryone() throws Exception {
        String create = definition(DEFINITION);
        JsonNode draft = ok(call("POST", "/v1/experiments", "alice", create), 201);
        assertThat(draft.get("state").asText()).isEqualTo("draft");
        assertThat(ask("user-1").path("lineage").has("experiment")).as("a draft changes nothing").isFalse();

        // mistakes: the same name again, a broken definition, promoting what does not exist
        assertThat(call("POST", "/v1/experiments", "alice", create).statusCode()).isEqualTo(409);
        HttpResponse<String> bad = call("POST", "/v1/experiments", "alice",
                definition(DEFINITION.replace("name: detailed-big", "name: other").replace("2.0.0\", model", "2.0.0\", modle")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("variants[1].overrides.modle");
        assertThat(call("POST", "/v1/experiments/nope/start", "alice", "{}").statusCode()).isEqualTo(404);

        JsonNode started = ok(call("POST", "/v1/experiments/detailed-big/start", "alice", "{}"), 200);
        assertThat(started.get("state").asText()).isEqualTo("running");
        assertThat(started.get("running").asBoolean()).isTrue();
        List<String> arms = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            JsonNode a = ask("user-" + u);
            String arm = a.path("lineage").path("variant").asText();
            arms.add(arm);
            if (arm.equals("winner")) {
                assertThat(a.get("answer").asText()).startsWith("answer by gpt-4o ");
                assertThat(a.path("lineage").path("prompt_version").asText()).startsWith("2.0.0+");
            } else {
                assertThat(a.get("answer").asText()).startsWith("answer by gpt-4o-mini");
            }
        }
        assertThat(arms).contains("control", "winner");
        JsonNode listed = ok(call("GET", "/v1/experiments", "alice", null), 200);
        assertThat(listed.at("/data/0/name").asText()).isEqualTo("detailed-big");
        assertThat(listed.at("/data/0/updated_by").asText()).isEqualTo("alice");

        JsonNode promoted = ok(call("POST", "/v1/experiments/detailed-big/promote", "bob", "{\"variant\":\"winner\"}"), 200);
        assertThat(promoted.get("state").asText()).isEqualTo("promoted");
        assertThat(promoted.get("applied").toString()).contains("label 'production' now points at 2.0.0")
                .contains("model small now serves small@");
        assertThat(promoted.get("manual")).isEmpty();
        assertThat(call("POST", "/v1/experiments/detailed-big/stop", "bob", "{}").statusCode()).isEqualTo(409);

        // everyone now gets the winner's model at once, and its prompt once the label is re-read
        JsonNode after = ask("user-1");
        assertThat(after.path("lineage").has("experiment")).isFalse();
        assertThat(after.get("answer").asText()).startsWith("answer by gpt-4o ");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!ask("user-2").path("lineage").path("prompt_version").asText().startsWith("2.0.0+") && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertThat(ask("user-3").path("lineage").path("prompt_version").asText()).startsWith("2.0.0+");

        JsonNode audit = ok(call("GET", "/v1/audit?limit=100", "admin", null), 200);
        List<String> trail = new ArrayList<>();
        for (JsonNode e : audit.get("data")) {
            if (e.get("target").asText().equals("experiment:detailed-big")) trail.add(e.get("action").asText() + " by " + e.at("/actor/id").asText());
        }
        assertThat(trail).containsExactlyInAnyOrder("experiment.created by alice", "experiment.started by alice", "experiment.promoted by bob");
    }
}
