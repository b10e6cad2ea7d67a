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

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The experiments issue's acceptance, through HTTP: two experiments in two layers, one over two versions of the answer
 * prompt and one over two retrieval strategies, traffic from many users, and a fake model whose bill depends on the
 * prompt (the detailed prompt's answers are 200 completion tokens longer on average). The prompt experiment's report
 * finds the cost difference with the right sign and a confidence interval covering the true value; the retrieval
 * experiment, whose arms cost the same by construction, finds none; every request's lineage and request-log record
 * carry both experiments and their variants, and the prompt and retrieval mode each variant asked for.
 */
class ExperimentEndToEndTest {
    /** $2 per million completion tokens (FakeOpenAiServer#modelEntry), 200 more tokens per detailed answer. */
    private static final double TRUE_COST_DIFFERENCE = 200 * 2.0 / 1_000_000;
    private static final String PROMPTS = """
            name: answer-prompt
            unit: user
            layer: {name: prompts, range: [0, 100]}
            targeting: {routes: [/v1/query]}
            variants:
              - name: concise
                overrides: {prompt: "1.0.0"}
              - name: detailed
                overrides: {prompt: "2.0.0"}
            """;
    private static final String RETRIEVAL = """
            name: retrieval-mode
            unit: user
            layer: {name: retrieval, range: [0, 100]}
            targeting: {routes: [/v1/query]}
            variants:
              - name: hybrid
                overrides: {retrieval: {mode: hybrid}}
              - name: bm25
                overrides: {retrieval: {mode: bm25, top_k: 3}}
            """;
    private static final List<String> QUESTIONS = List.of("How long are customer records kept?", "How do employees book flights?",
            "Do laptops use encryption?", "How many days of paid leave are there?");
    @TempDir
    static Path dir;
    private static FakeOpenAiServer model;
    private static KeelServer server;

    @BeforeAll
    static void start() throws IOException {
        SplittableRandom noise = new SplittableRandom(20261206);
        model = new FakeOpenAiServer().responder(request -> {
            int base = request.body().contains(AnswerPrompts.DETAILED) ? 300 : 100;
            int completion;
            synchronized (noise) {
                completion = base - 50 + noise.nextInt(101);
            }
            return Reply.text("Records are kept for seven years [1].").withUsage(400, completion);
        });
        Path docs = TestFiles.folder(dir, "handbook", TestFiles.HANDBOOK);
        Path experiments = TestFiles.folder(dir, "experiments", "prompts.yaml", PROMPTS);
        Files.writeString(experiments.resolve("retrieval.yaml"), RETRIEVAL);
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "models", List.of(model.modelEntry("answerer")),
                "generator", Map.of("backend", "model", "model", "answerer"),
                "experiments", Map.of("dir", experiments.toString())), Map.of());
        AnswerPrompts.push(config, null);        // the two prompt versions the experiment compares
        Keel keel = Keel.open(config);
        keel.ingest(List.of(docs), null, ProgressListener.NONE);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    private static JsonNode send(String method, String path, String user, String body) throws Exception {
        HttpResponse<String> r = TestHttp.send(server.port(), method, path, "application/json", body,
                "X-Keel-Tenant", "acme", "X-Keel-User", user);
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return TestHttp.json(r);
    }

    @Test
    void theReportFindsThePromptsCostDifferenceAndEveryRequestCarriesItsVariants() throws Exception {
        Map<String, Integer> perArm = new HashMap<>();
        for (int u = 0; u < 400; u++) {
            JsonNode a = send("POST", "/v1/query", "user-" + u, "{\"question\":\"" + QUESTIONS.get(u % QUESTIONS.size()) + "\"}");
            JsonNode lineage = a.get("lineage");
            assertThat(lineage.get("experiment").asText()).isEqualTo("answer-prompt+retrieval-mode");
            String[] arms = lineage.get("variant").asText().split("\\+");
            assertThat(arms[0]).isIn("concise", "detailed");
            assertThat(arms[1]).isIn("hybrid", "bm25");
            perArm.merge(arms[0], 1, Integer::sum);
            perArm.merge(arms[1], 1, Integer::sum);
            // each variant's settings were applied: the prompt version answered with, the retrieval mode searched with
            assertThat(lineage.get("prompt_version").asText()).startsWith(arms[0].equals("concise") ? "1.0.0+" : "2.0.0+");
            assertThat(lineage.path("retrieval").path("mode").asText()).isEqualTo(arms[1]);
            if (u % 40 == 0) {
                JsonNode record = send("GET", "/v1/requests/" + a.get("id").asText(), null, null);
                assertThat(record.toString()).contains("\"experiment\":\"answer-prompt+retrieval-mode\"")
                        .contains("\"variant\":\"" + lineage.get("variant").asText() + "\"");
            }
        }
        // both arms of each experiment got about half of the users
        assertThat(perArm.get("detailed")).isBetween(150, 250);
        assertThat(perArm.get("bm25")).isBetween(150, 250);

        JsonNode prompts = send("GET", "/v1/experiments/answer-prompt/report?min_per_arm=50", null, null);
        assertThat(prompts.at("/variants/0/requests").asInt()).isEqualTo(perArm.get("concise"));
        assertThat(prompts.at("/variants/1/requests").asInt()).isEqualTo(perArm.get("detailed"));
        assertThat(prompts.at("/srm/status").asText()).isEqualTo("ok");
        JsonNode cost = prompts.at("/comparisons/detailed/cost_usd");
        assertThat(cost.get("difference").asDouble()).isPositive().isCloseTo(TRUE_COST_DIFFERENCE, within(TRUE_COST_DIFFERENCE / 10));
        assertThat(cost.get("difference_ci").get(0).asDouble()).isLessThan(TRUE_COST_DIFFERENCE);
        assertThat(cost.get("difference_ci").get(1).asDouble()).isGreaterThan(TRUE_COST_DIFFERENCE);
        assertThat(cost.get("significant").asBoolean()).isTrue();
        assertThat(prompts.at("/verdicts/detailed").asText()).contains("detailed is more expensive by");

        JsonNode retrieval = send("GET", "/v1/experiments/retrieval-mode/report?min_per_arm=50", null, null);
        assertThat(retrieval.at("/variants/1/requests").asInt()).isEqualTo(perArm.get("bm25"));
        JsonNode same = retrieval.at("/comparisons/bm25/cost_usd");
        assertThat(same.get("difference_ci").get(0).asDouble()).isLessThan(0);
        assertThat(same.get("difference_ci").get(1).asDouble()).isGreaterThan(0);
        assertThat(same.get("significant").asBoolean()).isFalse();
    }
}
