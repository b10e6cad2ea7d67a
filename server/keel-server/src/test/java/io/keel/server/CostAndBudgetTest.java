package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.model.budget.BudgetConfig;
import io.keel.app.config.KeelConfig;
import io.keel.core.budget.Budget;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cost attribution and budgets end to end: a priced model behind a protocol-faithful fake server, requests through
 * {@code /v1/chat/completions}, spend read back from {@code /v1/usage} and {@code /v1/requests}.
 */
class CostAndBudgetTest {
    private static final String INPUT_PER_1M = "2.5";
    private static final String OUTPUT_PER_1M = "10";
    private static final String CAPPED_BODY = "{\"model\":\"priced\",\"max_tokens\":100,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Summarise the travel policy in one line.\"}]}";

    private static Path dir;
    private static FakeOpenAiServer upstream;
    private static KeelServer server;
    private static BigDecimal cappedLimit;
    private static int cappedPromptTokens;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keel-cost-test");
        upstream = new FakeOpenAiServer();
        List<Map<String, Object>> models = List.of(Map.of("name", "priced", "provider", "openai", "model", "gpt-4o-mini",
                "endpoints", List.of(upstream.baseUri() + "/v1"), "retry", Map.of("max_attempts", 1),
                "price", Map.of("input_per_1m", Double.parseDouble(INPUT_PER_1M), "output_per_1m", Double.parseDouble(OUTPUT_PER_1M),
                        "cached_input_per_1m", 1.25)),
                Map.of("name", "e5", "kind", "embedding", "provider", "openai", "model", "intfloat/e5-small",
                        "endpoints", List.of(upstream.baseUri() + "/v1"), "price", Map.of("input_per_1m", 0.02)));
        // The worst case of one capped request, computed the way the budget computes it: the limit covers exactly 50.
        long worst;
        try (ModelGateway g = ModelGateway.fromConfig(models, System::getenv, ModelCallListener.NONE)) {
            ChatRequest request = ChatRequest.of("priced", List.of(ChatMessage.user("Summarise the travel policy in one line.")))
                    .withMaxTokens(100);
            worst = g.worstCaseNanos(request, 1024);
        }
        cappedLimit = BigDecimal.valueOf(worst * 50, 9);
        // Worst case = prompt x $2.50 + 100 x $10 per million: the prompt's estimated token count, so the fake upstream
        // can bill exactly the worst case and no settlement ever frees budget for a 51st request, however slow the machine.
        cappedPromptTokens = (int) ((worst - 1_000_000) / 2_500);
        KeelConfig base = KeelConfig.defaults().withDataDir(dir.resolve("data"));
        KeelConfig config = base.withModels(models, base.generator())
                .withBudgets(new BudgetConfig(List.of(new Budget("tenant", "capped", Budget.Period.DAY, cappedLimit)), 1024));
        server = KeelServer.start(Keel.open(config), config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        server.close();
        upstream.close();
    }

    @Test
    void twoHundredConcurrentRequestsAgainstABudgetForFiftyNeverOverspend() throws Exception {
        // A slow upstream keeps every admitted request in flight while the others arrive: the 200 requests must all be
        // sent before the first admitted one settles, or its unused reservation would admit a few more (still without
        // overspending). 4 s leaves room for a loaded machine.
        upstream.defaultReply(Reply.text("Book economy, within policy limits.").withUsage(cappedPromptTokens, 100).withFirstByteDelay(Duration.ofSeconds(4)));
        try {
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(http.sendAsync(chat("capped", CAPPED_BODY), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int refused = 0;
            for (CompletableFuture<HttpResponse<String>> c : calls) {
                HttpResponse<String> r = c.get();
                if (r.statusCode() == 200) ok++;
                else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                    assertThat(r.body()).contains("budget").contains("capped").contains("max_tokens 100");
                    refused++;
                }
            }
            assertThat(ok).isLessThanOrEqualTo(50).isGreaterThanOrEqualTo(45);
            assertThat(ok + refused).isEqualTo(200);
            BigDecimal spent = cost(json(get("/v1/usage?group_by=tenant&tenant=capped")).get("data").get(0));
            assertThat(spent).isLessThanOrEqualTo(cappedLimit);
            assertThat(spent).isEqualByComparingTo(perMillion(cappedPromptTokens, 100).multiply(BigDecimal.valueOf(ok)));
        } finally {
            upstream.defaultReply(Reply.text("ok"));
        }
    }

    @Test
    void theLedgerOfAMixedStreamedAndPlainWorkloadIsExactToTheCent() throws Exception {
        for (int i = 0; i < 7; i++) {
            upstream.enqueue(Reply.text("Plain answer " + i).withUsage(1234, 567));
            assertThat(http.send(chat("ledger", body(false, "How many vacation days do employees get in year " + i + "?")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            upstream.enqueue(Reply.text("Streamed answer number " + i).withUsage(4321, 89));
            HttpResponse<String> r = http.send(chat("ledger", body(true, "Which hotels may staff book in city number " + i + "?")), HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).contains("data: [DONE]");
        }
        // By hand: 7 x (1234 x $2.50 + 567 x $10) / 1M + 5 x (4321 x $2.50 + 89 x $10) / 1M
        BigDecimal expected = perMillion(1234, 567).multiply(BigDecimal.valueOf(7)).add(perMillion(4321, 89).multiply(BigDecimal.valueOf(5)));
        assertThat(expected).isEqualByComparingTo("0.1197475");

        JsonNode usage = json(get("/v1/usage?group_by=tenant,route&tenant=ledger"));
        JsonNode row = usage.get("data").get(0);
        assertThat(row.get("errors").asLong()).as(usage.toString()).isZero();
        assertThat(row.get("requests").asLong()).isEqualTo(12);
        assertThat(row.get("prompt_tokens").asLong()).isEqualTo(7 * 1234 + 5 * 4321);
        assertThat(row.get("completion_tokens").asLong()).isEqualTo(7 * 567 + 5 * 89);
        assertThat(cost(row)).isEqualByComparingTo(expected);
        assertThat(cost(row).setScale(2, java.math.RoundingMode.HALF_UP)).isEqualByComparingTo("0.12");
    }

    @Test
    void aStreamedRequestCostsWhatTheSameRequestCostsWithoutStreaming() throws Exception {
        upstream.enqueue(Reply.text("Same answer either way.").withUsage(321, 45), Reply.text("Same answer either way.").withUsage(321, 45));
        http.send(chat("twins", body(false, "What is the per diem for meals abroad?")), HttpResponse.BodyHandlers.ofString());
        http.send(chat("twins", body(true, "What is the per diem for meals abroad?")), HttpResponse.BodyHandlers.ofString());
        JsonNode rows = json(get("/v1/requests?tenant=twins")).get("data");
        assertThat(rows).hasSize(2);
        JsonNode a = rows.get(0).get("usage");
        JsonNode b = rows.get(1).get("usage");
        assertThat(a.get("cost_usd").asDouble()).isPositive().isEqualTo(b.get("cost_usd").asDouble());
        assertThat(a.get("prompt_tokens").asLong()).isEqualTo(b.get("prompt_tokens").asLong()).isEqualTo(321);
        assertThat(a.get("estimated").asBoolean()).isFalse();
        assertThat(b.get("estimated").asBoolean()).isFalse();
    }

    @Test
    void promptTokensFromTheProvidersCacheAreBilledAtTheCachedPrice() throws Exception {
        upstream.enqueue(Reply.text("Per diem abroad is 60 euros.").withUsage(2000, 10).withCachedTokens(1500));
        http.send(chat("cached", body(true, "What is the per diem for meals abroad?")), HttpResponse.BodyHandlers.ofString());
        JsonNode usage = json(get("/v1/requests?tenant=cached")).get("data").get(0).get("usage");
        assertThat(usage.get("prompt_tokens").asLong()).isEqualTo(2000);
        assertThat(usage.get("cached_prompt_tokens").asLong()).isEqualTo(1500);
        // 500 x $2.50 + 1500 x $1.25 + 10 x $10, per million
        assertThat(cost(json(get("/v1/usage?tenant=cached")).get("data").get(0))).isEqualByComparingTo("0.003225");
    }

    @Test
    void embeddingsOfAProviderModelArePricedAndAttributed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/v1/embeddings"))
                .header("Content-Type", "application/json").header("X-Keel-Tenant", "vectors")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"e5\",\"input\":[\"first text\",\"second text\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        long tokens = Json.MAPPER.readTree(r.body()).at("/usage/prompt_tokens").asLong();
        JsonNode row = json(get("/v1/usage?tenant=vectors&group_by=model")).get("data").get(0);
        assertThat(row.get("model").asText()).isEqualTo("e5");
        assertThat(row.get("prompt_tokens").asLong()).isEqualTo(tokens).isPositive();
        assertThat(cost(row)).isEqualByComparingTo(new BigDecimal("0.02").multiply(BigDecimal.valueOf(tokens)).divide(BigDecimal.valueOf(1_000_000)));
    }

    private static BigDecimal perMillion(long prompt, long completion) {
        return new BigDecimal(INPUT_PER_1M).multiply(BigDecimal.valueOf(prompt))
                .add(new BigDecimal(OUTPUT_PER_1M).multiply(BigDecimal.valueOf(completion)))
                .divide(BigDecimal.valueOf(1_000_000));
    }

    private static BigDecimal cost(JsonNode usageRow) {
        return new BigDecimal(usageRow.get("cost_usd").asText());
    }

    private static String body(boolean stream, String question) {
        return "{\"model\":\"priced\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }

    private static HttpRequest chat(String tenant, String body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("X-Keel-Tenant", tenant)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return TestHttp.get(server.port(), path);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return TestHttp.json(r);
    }
}
