package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.server.Json;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code keel serve} processes on one PostgreSQL database ({@code store.backend: postgresql},
 * {@code index.backend: pgvector}), each with its own data directory, memory and caches: what one is told, the other
 * knows. A document pushed to A is retrieved through B; a model version promoted through A is served by B within the
 * registry's poll interval; a budget is one limit across both, so concurrent calls split between them never overspend
 * it. Needs PostgreSQL with pgvector at 127.0.0.1:5432; fails, never skips, without it.
 */
class TwoInstancesTest {
    private static final String PRICED_BODY = "{\"model\":\"priced\",\"max_tokens\":100,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Summarise the travel policy in one line.\"}]}";
    /** The calls the shared budget admits. */
    private static final int BUDGET_CALLS = 10;
    /** Priced calls sent at once, half through each instance: twenty times what the budget admits. */
    private static final int CONCURRENT_CALLS = 200;

    private static Path dir;
    private static String database;
    private static FakeOpenAiServer v1;
    private static FakeOpenAiServer v2;
    private static FakeOpenAiServer priced;
    private static int pricedPromptTokens;
    private static KeelProcess a;
    private static KeelProcess b;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startTwoInstancesOnOneDatabase() throws Exception {
        dir = Files.createTempDirectory("keel-two-instances");
        database = "keel_two_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("this test needs PostgreSQL on 127.0.0.1:5432 (user postgres) with pgvector: start it "
                    + "and run 'bash .ci/install-pgvector.sh'. Cause: " + e.getMessage(), e);
        }
        v1 = new FakeOpenAiServer().defaultReply(Reply.text("Version one answers.").withUsage(10, 3));
        v2 = new FakeOpenAiServer().defaultReply(Reply.text("Version two answers.").withUsage(10, 3));
        priced = new FakeOpenAiServer();
        Map<String, Object> pricedEntry = priced.modelEntry("priced");
        long worst;
        try (ModelGateway g = ModelGateway.fromConfig(List.of(pricedEntry), System::getenv, ModelCallListener.NONE)) {
            worst = g.worstCaseNanos(ChatRequest.of("priced",
                    List.of(ChatMessage.user("Summarise the travel policy in one line."))).withMaxTokens(100), 1024);
        }
        // Worst case = prompt x $1 + 100 x $2 per million (modelEntry's price): the upstream bills exactly the worst case,
        // so no settlement frees budget for one call more than BUDGET_CALLS.
        pricedPromptTokens = (int) ((worst - 200_000) / 1_000);
        BigDecimal limit = BigDecimal.valueOf(worst * BUDGET_CALLS, 9);
        priced.defaultReply(Reply.text("Book economy.").withUsage(pricedPromptTokens, 100));

        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, """
                store:
                  backend: postgresql
                  url: jdbc:postgresql://127.0.0.1:5432/%s
                  user: postgres
                index:
                  backend: pgvector
                guard:
                  enabled: false
                models:
                  - {name: answerer, provider: openai, model: model-one, endpoints: ["%s/v1"], retry: {max_attempts: 1}}
                  - {name: priced, provider: openai, model: gpt-4o-mini, endpoints: ["%s/v1"], retry: {max_attempts: 1},
                     price: {input_per_1m: 1.0, output_per_1m: 2.0}}
                budgets:
                  limits:
                    - {scope: tenant, subject: capped, period: day, limit_usd: %s}
                """.formatted(database, v1.baseUri(), priced.baseUri(), limit.toPlainString()));
        // One after the other: the first start migrates the schema and seeds the registry, the second finds both done.
        a = KeelProcess.serve("a", config, dir.resolve("a"));
        b = KeelProcess.serve("b", config, dir.resolve("b"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, v1, v2, priced}) {
            if (c != null) c.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void aDocumentPushedToOneInstanceIsRetrievedThroughTheOther() throws Exception {
        HttpResponse<String> pushed = send(a, "POST", "/v1/documents?collection=shared", null,
                "{\"op\":\"upsert\",\"id\":\"kb/refunds\",\"version\":1,\"media_type\":\"text/markdown\","
                        + "\"content\":\"# Refunds\\n\\nRefunds of the quillwort plan are paid within fourteen days.\"}");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);

        // The push committed to PostgreSQL before answering: B reads the same tables, with nothing to refresh.
        HttpResponse<String> found = send(b, "POST", "/v1/retrieve", null,
                "{\"query\":\"How fast are quillwort refunds paid?\",\"collection\":\"shared\",\"top_k\":3}");
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        JsonNode hits = Json.MAPPER.readTree(found.body()).get("results");
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0).get("document_id").asText()).isEqualTo("kb/refunds");
        assertThat(hits.get(0).get("text").asText()).contains("fourteen days");

        // A delete through B is seen by A.
        HttpResponse<String> deleted = send(b, "DELETE", "/v1/documents/kb/refunds?collection=shared&version=2", null, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode after = Json.MAPPER.readTree(send(a, "POST", "/v1/retrieve", null,
                "{\"query\":\"How fast are quillwort refunds paid?\",\"collection\":\"shared\",\"top_k\":3}").body());
        assertThat(after.get("results")).as(after.toString()).isEmpty();
    }

    @Test
    void aPromotionThroughOneInstanceIsServedByTheOtherWithinThePollInterval() throws Exception {
        assertThat(answer(b)).isEqualTo("Version one answers.");

        Map<String, Object> entry = new java.util.LinkedHashMap<>(v2.modelEntry("answerer"));
        entry.put("model", "model-two");
        HttpResponse<String> registered = send(a, "POST", "/v1/registry/models", null, Json.MAPPER.writeValueAsString(entry));
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        int version = Json.MAPPER.readTree(registered.body()).get("version").asInt();
        assertThat(version).isEqualTo(2);
        HttpResponse<String> promoted = send(a, "POST", "/v1/registry/models/answerer/promote", null,
                "{\"version\":2,\"stage\":\"production\"}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        long promotedAt = System.nanoTime();
        assertThat(answer(a)).as("the instance that promoted serves the new version at once").isEqualTo("Version two answers.");

        // B polls the registry every 2 s: it serves version two within that, plus a request's time.
        String served = answer(b);
        while (!served.equals("Version two answers.") && System.nanoTime() - promotedAt < Duration.ofSeconds(10).toNanos()) {
            Thread.sleep(100);
            served = answer(b);
        }
        long seenAfterMillis = (System.nanoTime() - promotedAt) / 1_000_000;
        System.out.printf("promotion through A served by B after %d ms (registry poll: 2 s)%n", seenAfterMillis);
        assertThat(served).as("B after " + seenAfterMillis + " ms").isEqualTo("Version two answers.");
        assertThat(seenAfterMillis).as("the registry poll interval is 2 s").isLessThan(5_000);
    }

    @Test
    void aBudgetIsOneLimitAcrossInstancesAndConcurrentCallsNeverOverspendIt() throws Exception {
        // A slow upstream keeps every admitted call in flight while the others arrive, so no settlement gives budget back.
        priced.defaultReply(Reply.text("Book economy.").withUsage(pricedPromptTokens, 100).withFirstByteDelay(Duration.ofSeconds(3)));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_CALLS; i++) {
            KeelProcess to = i % 2 == 0 ? a : b;
            calls.add(http.sendAsync(request(to, "POST", "/v1/chat/completions", "capped", PRICED_BODY),
                    HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        int okThroughA = 0;
        int refusedThroughA = 0;
        int refusedThroughB = 0;
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> r = calls.get(i).get();
            if (r.statusCode() == 200) {
                ok++;
                if (i % 2 == 0) okThroughA++;
            } else {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(429);
                assertThat(r.body()).contains("budget");
                if (i % 2 == 0) refusedThroughA++;
                else refusedThroughB++;
            }
        }
        assertThat(refusedThroughA).as("A refuses once the budget is spent through either").isPositive();
        assertThat(refusedThroughB).as("B refuses once the budget is spent through either").isPositive();
        // Exactly the budget's worth across both, however the admitted calls fell between A and B (the upstream bills
        // each call its reserved worst case, so no settlement frees budget for an eleventh).
        assertThat(ok).as("admitted across both instances, " + okThroughA + " through A").isEqualTo(BUDGET_CALLS);

        // Spent: the budget is exhausted for both, whichever spent it.
        priced.defaultReply(Reply.text("Book economy.").withUsage(pricedPromptTokens, 100));
        for (KeelProcess p : List.of(a, b)) {
            HttpResponse<String> r = send(p, "POST", "/v1/chat/completions", "capped", PRICED_BODY);
            assertThat(r.statusCode()).as(p.name() + ": " + r.body()).isEqualTo(429);
        }
        HttpResponse<String> other = send(b, "POST", "/v1/chat/completions", "uncapped", PRICED_BODY);
        assertThat(other.statusCode()).as("another tenant's calls are not charged to it: " + other.body()).isEqualTo(200);
    }

    private static String answer(KeelProcess p) throws Exception {
        HttpResponse<String> r = send(p, "POST", "/v1/chat/completions", "registry",
                "{\"model\":\"answerer\",\"messages\":[{\"role\":\"user\",\"content\":\"Which version are you?\"}]}");
        assertThat(r.statusCode()).as(p.name() + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).at("/choices/0/message/content").asText();
    }

    private static HttpResponse<String> send(KeelProcess p, String method, String path, String tenant, String body) throws Exception {
        return http.send(request(p, method, path, tenant, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(KeelProcess p, String method, String path, String tenant, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) r.header("Content-Type", "application/json");
        if (tenant != null) r.header("X-Keel-Tenant", tenant);
        return r.build();
    }
}
