package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing configured in keel.yaml, end to end over HTTP: {@code model: "auto"} on {@code /v1/chat/completions} runs
 * the routing table's cascade against two fake OpenAI servers, and the request log shows the route and the reason.
 */
class RoutingApiTest {
    @TempDir
    static Path dir;
    static FakeOpenAiServer cheap;
    static FakeOpenAiServer strong;
    static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        cheap = new FakeOpenAiServer();
        strong = new FakeOpenAiServer();
        Path table = dir.resolve("routing.yaml");
        Files.writeString(table, """
                name: tiers
                models: [auto]
                default: large
                rules:
                  - name: handbook
                    when: {cost_tiers: [docs]}
                    to: rag:default
                  - name: cascade
                    cascade: {cheap: small, strong: large, signal: refusal}
                """);
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "models", List.of(model("small", cheap), model("large", strong)),
                "routing", Map.of("file", table.toString())), Map.of());
        Keel keel = Keel.open(config);
        keel.ingest(List.of(io.keel.test.TestFiles.folder(dir, "handbook", io.keel.test.TestFiles.HANDBOOK)), null,
                io.keel.ingest.ProgressListener.NONE);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    static Map<String, Object> model(String name, FakeOpenAiServer s) {
        return Map.of("name", name, "provider", "openai", "model", "gpt-4o-mini", "endpoints", List.of(s.baseUri() + "/v1"),
                "retry", Map.of("max_attempts", 1), "price", Map.of("input_per_1m", 1.0, "output_per_1m", 2.0));
    }

    @AfterAll
    static void stop() {
        server.close();
        cheap.close();
        strong.close();
    }

    @Test
    void autoIsRoutedThroughTheCascadeAndTheRequestLogSaysWhy() throws Exception {
        cheap.enqueue(Reply.text("I'm sorry, I can't help with that."));
        strong.enqueue(Reply.text("Expenses are reimbursed within 30 days."));
        var r = TestHttp.send(server.port(), "POST", "/v1/chat/completions", "application/json",
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"When are expenses reimbursed?\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = TestHttp.json(r);
        assertThat(body.get("model").asText()).isEqualTo("auto");
        assertThat(body.get("choices").get(0).get("message").get("content").asText()).isEqualTo("Expenses are reimbursed within 30 days.");

        JsonNode record = null;
        for (int i = 0; i < 100 && record == null; i++) {
            JsonNode list = TestHttp.json(TestHttp.get(server.port(), "/v1/requests?route=/v1/chat/completions"));
            for (JsonNode n : list.get("data")) if ("When are expenses reimbursed?".equals(n.get("question").asText())) record = n;
            if (record == null) Thread.sleep(50);
        }
        assertThat(record).as("the request-log record").isNotNull();
        assertThat(record.get("lineage").get("generator").asText()).isEqualTo("large");
        assertThat(record.get("lineage").get("route").asText()).isEqualTo("tiers/cascade");
        assertThat(record.get("lineage").get("route_reason").asText()).contains("cascade: refusal 0.00 < 0.50, escalated to large");

        String metrics = TestHttp.get(server.port(), "/metrics").body();
        assertThat(metrics).contains("keel_route_decisions_total{kind=\"always\",model=\"large\",rule=\"tiers/cascade\"}");
    }

    @Test
    void aRagTargetIsAnsweredByTheQueryPipelineOnItsCollection() throws Exception {
        var r = TestHttp.send(server.port(), "POST", "/v1/chat/completions", "application/json",
                "{\"model\":\"auto\",\"metadata\":{\"cost_tier\":\"docs\"},"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"How long are customer records kept?\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(TestHttp.json(r).get("choices").get(0).get("message").get("content").asText()).contains("seven years");
        assertThat(cheap.requests("/chat/completions")).noneMatch(q -> q.body().contains("customer records"));
        assertThat(strong.requests("/chat/completions")).noneMatch(q -> q.body().contains("customer records"));
        JsonNode record = null;
        for (int i = 0; i < 100 && record == null; i++) {
            JsonNode list = TestHttp.json(TestHttp.get(server.port(), "/v1/requests?route=/v1/chat/completions"));
            for (JsonNode n : list.get("data")) {
                if ("How long are customer records kept?".equals(n.get("question").asText()) && n.get("lineage").has("route")) record = n;
            }
            if (record == null) Thread.sleep(50);
        }
        assertThat(record).as("the chat request's record").isNotNull();
        assertThat(record.get("lineage").get("route").asText()).isEqualTo("tiers/handbook");
        assertThat(record.get("lineage").get("route_reason").asText()).isEqualTo("cost_tier: cost_tier=docs");
        assertThat(record.get("lineage").get("index_version").asText()).startsWith("default@");
    }

    @Test
    void routedNamesAreListedAndUnknownModelsStillAre404() throws Exception {
        JsonNode models = TestHttp.json(TestHttp.get(server.port(), "/v1/models"));
        assertThat(models.toString()).contains("\"auto\"").contains("\"small\"").contains("\"large\"");
        var r = TestHttp.send(server.port(), "POST", "/v1/chat/completions", "application/json",
                "{\"model\":\"automatic\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("automatic");
    }

    @Test
    void aRoutingFileWithAnUnknownKeyStopsStartup() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "default: large\nrulez: []\n");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data2").toString(),
                "models", List.of(model("large", strong)), "routing", Map.of("file", bad.toString())), Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Keel.open(config).close())
                .hasMessageContaining("bad.yaml").hasMessageContaining("rulez");
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "default: lage\n");
        KeelConfig typoConfig = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data3").toString(),
                "models", List.of(model("large", strong)), "routing", Map.of("file", typo.toString())), Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Keel.open(typoConfig).close())
                .hasMessageContaining("'lage'").hasMessageContaining("not configured");
    }
}
