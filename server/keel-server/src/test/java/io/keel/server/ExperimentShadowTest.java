package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow mode through HTTP: a bigger model runs on a copy of every chat completion without answering it. Callers get
 * only the live model's answers; each shadow run is recorded apart (its own id, the shadow arm, its own cost), and the
 * experiment report compares it with the live arm.
 */
class ExperimentShadowTest {
    private static final String EXPERIMENT = """
            name: shadow-big
            unit: user
            targeting: {routes: [/v1/chat/completions]}
            variants:
              - name: live
              - name: big
                shadow: true
                overrides: {model: big}
            """;
    @TempDir
    static Path dir;
    private static FakeOpenAiServer upstream;
    private static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        upstream = new FakeOpenAiServer().responder(request -> Reply.text("answer by "
                + (request.body().contains("\"gpt-4o\"") ? "gpt-4o" : "gpt-4o-mini")).withUsage(100, 20));
        Path experiments = TestFiles.folder(dir, "experiments", "shadow.yaml", EXPERIMENT);
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "models", List.of(upstream.modelEntry("small"), upstream.modelEntry("big", "gpt-4o", 5.0, 15.0)),
                "experiments", Map.of("dir", experiments.toString())), Map.of());
        server = KeelServer.start(Keel.open(config), config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void callersGetTheLiveAnswerAndTheShadowArmIsRecordedAndReportedApart() throws Exception {
        int users = 40;
        for (int u = 0; u < users; u++) {
            HttpResponse<String> r = TestHttp.send(server.port(), "POST", "/v1/chat/completions", "application/json",
                    "{\"model\":\"small\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the leave policy.\"}]}",
                    "X-Keel-User", "user-" + u);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = TestHttp.json(r);
            assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("answer by gpt-4o-mini");
            assertThat(body.get("model").asText()).isEqualTo("small");
        }

        JsonNode report = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            report = TestHttp.json(TestHttp.send(server.port(), "GET", "/v1/experiments/shadow-big/report?min_per_arm=10",
                    null, null));
            if (report.at("/variants/1/requests").asInt() == users) break;
            Thread.sleep(50);
        }
        assertThat(report.at("/variants/0/name").asText()).isEqualTo("live");
        assertThat(report.at("/variants/0/requests").asInt()).isEqualTo(users);
        assertThat(report.at("/variants/1/name").asText()).isEqualTo("big");
        assertThat(report.at("/variants/1/requests").asInt()).as("one shadow run per live request").isEqualTo(users);
        assertThat(report.at("/srm/status").asText()).as("one live arm: nothing to compare its share with").isEqualTo("no_data");
        // gpt-4o is priced 5/15 against 1/2 per million tokens: the shadow arm costs more, by a known amount
        double live = 100 * 1.0 / 1e6 + 20 * 2.0 / 1e6;
        double shadow = 100 * 5.0 / 1e6 + 20 * 15.0 / 1e6;
        assertThat(report.at("/variants/0/metrics/cost_usd/mean").asDouble()).isCloseTo(live, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(report.at("/variants/1/metrics/cost_usd/mean").asDouble()).isCloseTo(shadow, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(upstream.requests("/chat/completions")).hasSize(2 * users);

        JsonNode copy = TestHttp.json(TestHttp.send(server.port(), "GET", "/v1/requests/"
                + firstLiveId() + ".shadow.big", null, null));
        assertThat(copy.toString()).contains("\"variant\":\"big\"").contains("\"generator\":\"big\"");
    }

    private static String firstLiveId() throws Exception {
        JsonNode list = TestHttp.json(TestHttp.send(server.port(), "GET", "/v1/requests?route=/v1/chat/completions&limit=200", null, null));
        for (JsonNode r : list.path("data")) {
            String id = r.get("id").asText();
            if (!id.contains(".shadow.")) return id;
        }
        throw new AssertionError("no live request in " + list);
    }
}
