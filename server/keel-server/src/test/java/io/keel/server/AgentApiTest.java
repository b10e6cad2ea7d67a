package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.spi.RequestRecord;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agents over HTTP against a protocol-faithful fake model: {@code POST /v1/agents/{name}/runs}, the run with its steps
 * from {@code GET /v1/agents/runs/{id}}, and {@code agent:NAME} on {@code /v1/chat/completions}, plain and streamed.
 */
class AgentApiTest {
    private static final String JSON = "application/json";
    private static Path dir;
    private static FakeOpenAiServer upstream;
    private static Keel keel;
    private static KeelServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keel-agent-api-test");
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("helper.yaml"), """
                id: helper-system
                version: 1.0.0
                messages:
                  - role: system
                    content: You are a careful assistant. Use the calculator for arithmetic.
                """);
        Files.writeString(agents.resolve("helper.yaml"), """
                name: helper
                version: 1.0.0
                model: chat
                prompt: helper-system
                tools: [calculator]
                limits: {max_steps: 10, max_identical_calls: 3, wall_time: 30s}
                """);
        Files.writeString(dir.resolve("routing.yaml"), """
                name: support
                default: chat
                rules:
                  - {name: premium, when: {cost_tiers: [premium]}, to: "agent:helper"}
                """);
        upstream = new FakeOpenAiServer();
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(),
                "models", List.of(upstream.modelEntry("chat")),
                "prompts", Map.of("dir", prompts.toString()),
                "agents", Map.of("dir", agents.toString()),
                "routing", Map.of("file", dir.resolve("routing.yaml").toString())), Map.of());
        keel = Keel.open(config);
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (upstream != null) upstream.close();
    }

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        return TestHttp.send(server.port(), "POST", path, JSON, body, headers);
    }

    private static Reply calc(int i) {
        return Reply.toolCall("call_" + i, "calculator", "{\"expression\":\"" + i + " * 2\"}");
    }

    @Test
    void aRoutingTableSendsAChatRequestToAnAgent() throws Exception {
        upstream.enqueue(calc(21), Reply.text("It is 42.").withUsage(30, 5));
        HttpResponse<String> res = post("/v1/chat/completions", "{\"model\":\"auto\",\"metadata\":{\"cost_tier\":\"premium\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"What is 21 * 2?\"}]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = TestHttp.json(res);
        assertThat(body.at("/choices/0/message/content").asText()).isEqualTo("It is 42.");
        assertThat(body.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(upstream.requests("/chat/completions")).as("the agent's two model calls").hasSize(2);

        upstream.enqueue(Reply.text("Plain answer."));
        JsonNode plain = TestHttp.json(post("/v1/chat/completions", "{\"model\":\"auto\","
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));
        assertThat(plain.at("/choices/0/message/content").asText()).isEqualTo("Plain answer.");
    }

    @Test
    void runsAnAgentAndListsItsStepsWithLineageAndChildRecords() throws Exception {
        upstream.enqueue(calc(21), Reply.text("It is 42.").withUsage(30, 5));
        HttpResponse<String> res = post("/v1/agents/helper/runs", "{\"input\":\"What is 21 * 2?\"}", "X-Keel-Tenant", "acme");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode run = TestHttp.json(res);
        assertThat(run.path("status").asText()).isEqualTo("completed");
        assertThat(run.path("stop_reason").asText()).isEqualTo("completed");
        assertThat(run.path("answer").asText()).isEqualTo("It is 42.");
        assertThat(run.path("steps").asInt()).isEqualTo(2);
        assertThat(run.path("lineage").path("agent").asText()).matches("helper@1\\.0\\.0\\+[0-9a-f]{12}");
        assertThat(run.path("lineage").path("models").toString()).contains("chat");
        assertThat(run.path("lineage").path("prompts").get(0).asText()).startsWith("helper-system@1.0.0+");
        String system = upstream.requests().getFirst().body();
        assertThat(system).contains("You are a careful assistant");

        String id = run.path("id").asText();
        HttpResponse<String> got = TestHttp.send(server.port(), "GET", "/v1/agents/runs/" + id, null, null, "X-Keel-Tenant", "acme");
        assertThat(got.statusCode()).isEqualTo(200);
        JsonNode events = TestHttp.json(got).path("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(1).path("name").asText()).isEqualTo("calculator");
        assertThat(events.get(1).path("arguments").asText()).contains("21 * 2");
        assertThat(events.get(1).path("result_chars").asInt()).isEqualTo(2);

        HttpResponse<String> other = TestHttp.send(server.port(), "GET", "/v1/agents/runs/" + id, null, null, "X-Keel-Tenant", "globex");
        assertThat(other.statusCode()).as("another tenant cannot read the run").isEqualTo(404);

        List<RequestRecord> children = new ArrayList<>();
        for (int attempt = 0; attempt < 50 && children.size() < 3; attempt++) {
            children.clear();
            for (int seq = 1; seq <= 3; seq++) keel.requests().orElseThrow().get(id + "/" + seq).ifPresent(children::add);
            if (children.size() < 3) Thread.sleep(100);
        }
        assertThat(children).extracting(RequestRecord::route).containsOnly("agent.step");
        assertThat(children.get(1).question()).contains("calculator", "21 * 2");
        assertThat(children.get(1).caller().tenant()).isEqualTo("acme");
        assertThat(children.get(0).usage().promptTokens()).as("a model step carries its usage").isPositive();
        assertThat(children.get(1).usage().totalTokens()).as("a tool step none").isZero();
        assertThat(children.get(2).usage().promptTokens()).isEqualTo(30);
        Optional<RequestRecord> logged = Optional.empty();
        for (int attempt = 0; attempt < 50 && logged.isEmpty(); attempt++) {
            logged = keel.requests().orElseThrow().get(id);
            if (logged.isEmpty()) Thread.sleep(100);
        }
        RequestRecord parent = logged.orElseThrow();
        assertThat(parent.route()).isEqualTo("agent.run");
        assertThat(parent.answer()).isEqualTo("It is 42.");
        assertThat(parent.usage().costUsd()).as("cost is on the steps only, never counted twice").isZero();
        assertThat(parent.lineage().promptId()).startsWith("helper@1.0.0+");
    }

    @Test
    void answersAgentModelsOnChatCompletions() throws Exception {
        upstream.enqueue(calc(4), Reply.text("Eight."));
        HttpResponse<String> res = post("/v1/chat/completions",
                "{\"model\":\"agent:helper\",\"messages\":[{\"role\":\"user\",\"content\":\"4 * 2?\"}]}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        JsonNode body = TestHttp.json(res);
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Eight.");
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("model").asText()).isEqualTo("agent:helper");
        assertThat(body.path("agent_run").path("stop_reason").asText()).isEqualTo("completed");
        assertThat(TestHttp.get(server.port(), "/v1/models").body()).contains("agent:helper");
    }

    @Test
    void aStreamedTenStepRunOfToolCallsStopsAtTheStepLimit() throws Exception {
        Reply[] replies = new Reply[12];
        for (int i = 0; i < replies.length; i++) replies[i] = calc(i);
        upstream.enqueue(replies);
        HttpResponse<String> res = post("/v1/chat/completions",
                "{\"model\":\"agent:helper\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).contains("\"finish_reason\":\"length\"", "\"stop_reason\":\"max_steps\"").endsWith("data: [DONE]\n\n");
        assertThat(upstream.requests()).hasSize(10).allSatisfy(r -> assertThat(r.json().get("stream")).isEqualTo(true));
    }

    @Test
    void aStreamedAnswerArrivesInPiecesThroughTheOutputGuard() throws Exception {
        String answer = "The handbook says travel is booked through the portal. ".repeat(12).strip();
        upstream.enqueue(Reply.text(answer));
        HttpResponse<String> res = post("/v1/chat/completions",
                "{\"model\":\"agent:helper\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        StringBuilder text = new StringBuilder();
        int pieces = 0;
        for (String line : res.body().split("\n")) {
            if (!line.startsWith("data: {")) continue;
            JsonNode delta = Json.MAPPER.readTree(line.substring(6)).path("choices").path(0).path("delta");
            if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
                pieces++;
                text.append(delta.path("content").asText());
            }
        }
        assertThat(text.toString()).isEqualTo(answer);
        assertThat(pieces).as("released as the guard clears it, not in one piece at the end").isGreaterThan(1);
        assertThat(res.body()).contains("\"finish_reason\":\"stop\"");
    }

    @Test
    void badInputAndUnknownAgentsAreStructuredErrors() throws Exception {
        assertThat(post("/v1/agents/nobody/runs", "{\"input\":\"hi\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> both = post("/v1/agents/helper/runs", "{\"input\":\"hi\",\"messages\":[]}");
        assertThat(both.statusCode()).isEqualTo(422);
        assertThat(TestHttp.json(both).path("error").path("message").asText()).contains("either 'input'");
        assertThat(post("/v1/agents/helper/runs", "{\"input\":\"hi\",\"extra\":1}").statusCode()).isEqualTo(422);
        assertThat(post("/v1/agents/helper/runs", "{not json").statusCode()).isEqualTo(400);
        assertThat(TestHttp.get(server.port(), "/v1/agents/runs/run_nope").statusCode()).isEqualTo(404);
        assertThat(post("/v1/chat/completions", "{\"model\":\"agent:nobody\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .statusCode()).isEqualTo(404);
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void anInterruptedRunResumesFromItsLastCompletedStep() throws Exception {
        upstream.enqueue(calc(1), calc(2), Reply.status(500), calc(3), Reply.text("Done."));
        JsonNode first = TestHttp.json(post("/v1/agents/helper/runs", "{\"input\":\"go\"}"));
        assertThat(first.path("status").asText()).isEqualTo("interrupted");
        assertThat(first.path("steps").asInt()).isEqualTo(2);
        JsonNode resumed = TestHttp.json(post("/v1/agents/runs/" + first.path("id").asText() + "/resume", "{}"));
        assertThat(resumed.path("status").asText()).isEqualTo("completed");
        assertThat(resumed.path("steps").asInt()).isEqualTo(4);
        HttpResponse<String> again = post("/v1/agents/runs/" + first.path("id").asText() + "/resume", "{}");
        assertThat(again.statusCode()).as("a finished run does not resume").isEqualTo(409);
    }
}
