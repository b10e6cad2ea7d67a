package io.keel.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Timings;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestRecord;
import io.keel.http.HttpJson;
import io.keel.server.KeelServer;
import io.keel.test.Seeds;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over plain HTTP: its files are served open, with a content-security policy and only from the list of
 * known files; its JSON routes agree with the request log they summarise and keep a non-admin key to its own tenant.
 */
class ConsoleApiTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Keel keel;
    private static KeelServer server;
    private static String admin;
    private static String developer;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-console-api-test");
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "auth", Map.of("enabled", "true"),
                "budgets", Map.of("limits", List.of(Map.of("scope", "tenant", "subject", "acme", "period", "day", "limit_usd", "2.50"),
                        Map.of("scope", "app", "subject", "*", "period", "month", "limit_usd", "100")))), Map.of());
        keel = Keel.open(config);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), java.time.Clock.systemUTC());
        admin = keys.create(new ApiKeyManager.Spec("acme", Role.ADMIN, "admin", null, Set.of(), Set.of(), 0)).secret();
        developer = keys.create(new ApiKeyManager.Spec("acme", Role.DEVELOPER, "dev", null, Set.of(), Set.of(), 0)).secret();
        ConsoleTraffic.write(keel.requestLog(), new Seeds().random(), 400, Instant.now().truncatedTo(ChronoUnit.SECONDS), Duration.ofSeconds(3));
        server = KeelServer.start(keel, config.server().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<String> get(String path, String key, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (key != null) b.header("Authorization", "Bearer " + key);
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String path, String key) throws Exception {
        HttpResponse<String> r = get(path, key);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return HttpJson.MAPPER.readTree(r.body());
    }

    @Test
    void theShellAndItsFilesAreServedWithoutACredentialAndNothingElseIs() throws Exception {
        HttpResponse<String> shell = get("/console", null);
        assertThat(shell.statusCode()).isEqualTo(200);
        assertThat(shell.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(shell.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(shell.body()).contains("<script type=\"module\" src=\"/console/app.js\">").doesNotContain("http://").doesNotContain("https://");
        assertThat(get("/console/requests", null).body()).as("a console page's path loads the shell").isEqualTo(shell.body());

        HttpResponse<String> chart = get("/console/lib/uPlot.esm.js", null);
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(chart.body()).contains("export { uPlot as default }");
        String etag = chart.headers().firstValue("ETag").orElseThrow();
        assertThat(get("/console/lib/uPlot.esm.js", null, "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<String> unknown = get("/console/../keel.db", null);
        assertThat(unknown.statusCode()).isIn(400, 404);
        HttpResponse<String> missing = get("/console/pages/secret.js", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(HttpJson.MAPPER.readTree(missing.body()).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(get("/console/META-INF/MANIFEST.MF", null).statusCode()).isEqualTo(404);
    }

    @Test
    void latencyPercentilesAndCountsAreThoseOfTheRecords() throws Exception {
        List<RequestRecord> records = keel.requests().orElseThrow().find(new RequestFilter(null, null, null, null, null, null, null,
                null, null, null, null, null, null, 1000));
        JsonNode body = json("/v1/console/latency?buckets=10", admin);
        assertThat(body.get("sample").asInt()).isEqualTo(records.size()).isEqualTo(400);
        assertThat(body.get("truncated").asBoolean()).isFalse();
        assertThat(body.at("/overall/errors").asLong()).isEqualTo(records.stream().filter(r -> !r.ok()).count());
        for (String stage : List.of(Timings.TOTAL, Timings.INFERENCE, Timings.VECTOR_SEARCH)) {
            double[] ms = records.stream().mapToLong(r -> r.timings().nanosOf(stage)).filter(v -> v > 0).mapToDouble(v -> v / 1e6).sorted().toArray();
            double p95 = ms[(int) Math.ceil(0.95 * ms.length) - 1];
            double p50 = ms[(int) Math.ceil(0.50 * ms.length) - 1];
            assertThat(body.at("/overall/p95_ms/" + stage).asDouble()).as(stage + " p95").isCloseTo(p95, org.assertj.core.data.Offset.offset(0.001));
            assertThat(body.at("/overall/p50_ms/" + stage).asDouble()).as(stage + " p50").isCloseTo(p50, org.assertj.core.data.Offset.offset(0.001));
        }
        long inBuckets = 0;
        List<String> starts = new ArrayList<>();
        for (JsonNode b : body.get("buckets")) {
            inBuckets += b.get("requests").asLong();
            starts.add(b.get("start").asText());
        }
        assertThat(inBuckets).as("every record falls in one bucket").isEqualTo(400);
        assertThat(body.get("buckets")).hasSize(10);
        assertThat(starts).isSorted();
        assertThat(get("/v1/console/latency?buckets=0", admin).statusCode()).isEqualTo(400);
        assertThat(get("/v1/console/latency?bucket=3", admin).statusCode()).isEqualTo(400);
        assertThat(get("/v1/console/latency?from=yesterday", admin).statusCode()).isEqualTo(400);
    }

    @Test
    void aDeveloperKeySeesItsOwnTenantOnlyAndAnAdminEvery() throws Exception {
        JsonNode mine = json("/v1/console/guards", developer);
        JsonNode all = json("/v1/console/guards", admin);
        long acme = keel.requests().orElseThrow().usage(new io.keel.core.spi.UsageQuery(List.of(), null, null, "acme")).getFirst().requests();
        assertThat(mine.get("requests").asLong()).isEqualTo(acme).isLessThan(all.get("requests").asLong());
        assertThat(mine.get("recent_injections").findValuesAsText("tenant")).containsOnly("acme");
        assertThat(get("/v1/console/guards?tenant=globex", developer).statusCode()).isEqualTo(403);
        assertThat(json("/v1/console/guards?tenant=globex", admin).get("requests").asLong()).isEqualTo(all.get("requests").asLong() - acme);
        assertThat(get("/v1/console/latency?tenant=globex", developer).statusCode()).isEqualTo(403);
    }

    @Test
    void budgetsShowTodaysSpendFromTheRequestLog() throws Exception {
        JsonNode mine = json("/v1/console/budgets", developer).get("data");
        assertThat(mine.findValuesAsText("scope")).as("a developer sees its tenant's budgets only").containsOnly("tenant");
        JsonNode acme = mine.get(0);
        assertThat(acme.get("subject").asText()).isEqualTo("acme");
        JsonNode usage = json("/v1/usage?from=" + acme.get("period_start").asText(), developer).at("/data/0");
        assertThat(new BigDecimal(acme.get("spent_usd").asText())).isEqualByComparingTo(new BigDecimal(usage.get("cost_usd").asText()));
        assertThat(new BigDecimal(acme.get("remaining_usd").asText()))
                .isEqualByComparingTo(new BigDecimal("2.50").subtract(new BigDecimal(usage.get("cost_usd").asText())).max(BigDecimal.ZERO));
        JsonNode all = json("/v1/console/budgets", admin).get("data");
        assertThat(all.findValuesAsText("subject")).as("an app budget on '*' is shown per app that spent")
                .contains("acme", "support-bot", "search", "assistant");
    }

    @Test
    void promptRoutesListVersionsAndDiffAndAnswerBadReferencesWithJsonErrors() throws Exception {
        io.keel.prompts.PromptStore prompts = new io.keel.prompts.PromptStore(keel.database());
        prompts.push(io.keel.prompts.PromptLoader.parse("id: greet\nversion: 1.0.0\ntemplate: 'Hello {{name}}'\n", "greet.yaml"), "ada");
        prompts.push(io.keel.prompts.PromptLoader.parse("id: greet\nversion: 2.0.0\ntemplate: 'Hi {{name}}'\n", "greet.yaml"), "ada");
        prompts.label("greet", "staging", "2.0.0", "ada");
        JsonNode list = json("/v1/console/prompts", developer);
        assertThat(list.get("data").findValuesAsText("id")).contains("greet");
        JsonNode greet = json("/v1/console/prompts/greet", developer);
        assertThat(greet.get("versions").findValuesAsText("semver")).containsExactly("2.0.0", "1.0.0");
        assertThat(greet.at("/labels/staging").asText()).startsWith("2.0.0+");
        assertThat(greet.at("/history/0/action").asText()).isEqualTo("label");
        JsonNode diff = json("/v1/console/prompts/greet/diff?from=1.0.0&to=staging", developer);
        assertThat(diff.get("diff").asText().lines().filter(l -> l.startsWith("-") && l.contains("Hello"))).hasSize(1);
        assertThat(diff.get("diff").asText().lines().filter(l -> l.startsWith("+") && l.contains("Hi {{name}}"))).hasSize(1);
        assertThat(get("/v1/console/prompts/greet/diff?from=1.0.0", developer).statusCode()).isEqualTo(400);
        HttpResponse<String> unknown = get("/v1/console/prompts/greet/diff?from=1.0.0&to=9.9.9", developer);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(HttpJson.MAPPER.readTree(unknown.body()).at("/error/message").asText()).contains("greet");
        assertThat(get("/v1/console/prompts/nope", developer).statusCode()).isEqualTo(404);
    }
}
