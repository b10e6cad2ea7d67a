package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.ingest.ProgressListener;
import io.keel.test.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment over two retrieval strategies through HTTP: many users ask questions, some rate the answers (the
 * bm25 arm's answers are liked more often), and the report finds that difference with the right sign, no difference
 * where there is none by construction, and a sample ratio that matches the weights.
 */
class ExperimentReportApiTest {
    private static final String EXPERIMENT = """
            name: retrieval-modes
            unit: user
            targeting: {routes: [/v1/query]}
            variants:
              - name: control
                weight: 50
              - name: bm25
                weight: 50
                overrides: {retrieval: {mode: bm25, top_k: 2}}
            """;
    private static final List<String> QUESTIONS = List.of("How long are customer records kept?", "How do employees book flights?",
            "Do laptops use encryption?", "How many days of paid leave are there?");
    @TempDir
    static Path dir;
    private static KeelServer server;

    @BeforeAll
    static void start() throws IOException {
        Path docs = TestFiles.folder(dir, "handbook", TestFiles.HANDBOOK);
        Path experiments = TestFiles.folder(dir, "experiments", "retrieval-modes.yaml", EXPERIMENT);
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "experiments", Map.of("dir", experiments.toString())), Map.of());
        Keel keel = Keel.open(config);
        keel.ingest(List.of(docs), null, ProgressListener.NONE);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> send(String method, String path, String tenant, String user, String body) throws Exception {
        return TestHttp.send(server.port(), method, path, "application/json", body, "X-Keel-Tenant", tenant, "X-Keel-User", user);
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return TestHttp.json(r);
    }

    @Test
    void theReportFindsTheFeedbackDifferenceWithTheRightSignAndAMatchingSampleRatio() throws Exception {
        Random rnd = new Random(19);
        Map<String, Integer> perArm = new HashMap<>();
        String someRequest = null;
        for (int u = 0; u < 300; u++) {
            String user = "user-" + u;
            String q = QUESTIONS.get(u % QUESTIONS.size());
            HttpResponse<String> r = send("POST", "/v1/query", "acme", user, "{\"question\":\"" + q + "\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode a = json(r);
            String variant = a.path("lineage").path("variant").asText();
            assertThat(variant).isIn("control", "bm25");
            perArm.merge(variant, 1, Integer::sum);
            someRequest = a.get("id").asText();
            // the bm25 arm's answers are liked 80 % of the time, the control's 45 %; two in three users rate
            if (rnd.nextInt(3) < 2) {
                boolean up = rnd.nextDouble() < (variant.equals("bm25") ? 0.80 : 0.45);
                HttpResponse<String> f = send("POST", "/v1/feedback", "acme", user, "{\"request_id\":\"" + a.get("id").asText()
                        + "\",\"thumbs\":\"" + (up ? "up" : "down") + "\",\"comment\":\"mail me at jane.doe@example.com\"}");
                assertThat(f.statusCode()).as(f.body()).isEqualTo(201);
                JsonNode stored = json(f);
                assertThat(stored.get("variant").asText()).isEqualTo(variant);
                assertThat(stored.get("comment").asText()).doesNotContain("jane.doe@example.com");
            }
        }

        HttpResponse<String> r = send("GET", "/v1/experiments/retrieval-modes/report?min_per_arm=50", null, null, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode report = json(r);
        assertThat(report.get("control").asText()).isEqualTo("control");
        assertThat(report.at("/variants/0/requests").asInt()).isEqualTo(perArm.get("control"));
        assertThat(report.at("/variants/1/requests").asInt()).isEqualTo(perArm.get("bm25"));
        assertThat(report.at("/srm/status").asText()).isEqualTo("ok");
        JsonNode thumbs = report.at("/comparisons/bm25/thumbs_up_rate");
        assertThat(thumbs.get("difference").asDouble()).isPositive();
        assertThat(thumbs.get("significant").asBoolean()).isTrue();
        assertThat(thumbs.get("p_value_holm").asDouble()).isLessThan(0.05);
        assertThat(report.at("/comparisons/bm25/error_rate/difference").isNull()).as("no errors in either arm: nothing to compare").isTrue();
        assertThat(report.at("/variants/0/metrics/latency_ms/n").asInt()).isEqualTo(perArm.get("control"));
        assertThat(report.at("/variants/0/metrics").has("groundedness")).isTrue();
        assertThat(report.at("/verdicts/bm25").asText()).contains("bm25 has higher thumbs-up rate by")
                .doesNotContain("embedding latency");

        // a caller of another tenant cannot rate acme's request, nor rate without a score or thumbs
        HttpResponse<String> other = send("POST", "/v1/feedback", "globex", "mallory", "{\"request_id\":\"" + someRequest + "\",\"score\":0}");
        assertThat(other.statusCode()).as(other.body()).isEqualTo(404);
        HttpResponse<String> empty = send("POST", "/v1/feedback", "acme", "user-1", "{\"request_id\":\"" + someRequest + "\"}");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(json(empty).toString()).contains("'thumbs'");
        HttpResponse<String> bad = send("POST", "/v1/feedback", "acme", "user-1", "{\"request_id\":\"" + someRequest + "\",\"thumbs\":\"sideways\"}");
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(send("GET", "/v1/experiments/nope/report", null, null, null).statusCode()).isEqualTo(404);
    }
}
