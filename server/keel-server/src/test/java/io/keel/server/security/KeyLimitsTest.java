package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.server.KeelServer;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.keel.server.security.SecurityHttp.json;
import static io.keel.server.security.SecurityHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key's limits on a running server: tokens per minute, requests in flight, a budget, allowed models and allowed
 * collections, each answered with a JSON 429 (with {@code Retry-After}) or 403 on every route it applies to; and a
 * tenant's allowed models from {@code tenants.NAME.allowed_models}.
 */
class KeyLimitsTest {
    private static final String CHAT = "{\"model\":\"%s\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the travel policy.\"}]}";
    private static FakeOpenAiServer upstream;
    private static KeelServer server;
    private static int port;
    private static String admin;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-key-limits-test");
        upstream = new FakeOpenAiServer();
        upstream.defaultReply(Reply.text("Book economy.").withUsage(40, 20));
        List<Map<String, Object>> models = List.of(
                model("priced", "gpt-4o-mini"), model("other", "gpt-4o"),
                Map.of("name", "e5", "kind", "embedding", "provider", "openai", "model", "intfloat/e5-small",
                        "endpoints", List.of(upstream.baseUri() + "/v1")));
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "auth", Map.of("enabled", "true"),
                "models", models, "tenants", Map.of("globex", Map.of("allowed_models", List.of("other")))), Map.of());
        Keel keel = Keel.open(config);
        admin = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC())
                .create(new ApiKeyManager.Spec("ops", Role.ADMIN, null, null, Set.of(), Set.of(), 0)).secret();
        server = KeelServer.start(keel, config.server().withPort(0));
        port = server.port();
    }

    private static Map<String, Object> model(String name, String id) {
        return Map.of("name", name, "provider", "openai", "model", id, "endpoints", List.of(upstream.baseUri() + "/v1"),
                "retry", Map.of("max_attempts", 1), "price", Map.of("input_per_1m", 2.5, "output_per_1m", 10.0));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (upstream != null) upstream.close();
    }

    private static String key(String tenant, String limitsJson) throws Exception {
        HttpResponse<String> r = send(port, admin, "POST", "/v1/keys", "{\"tenant\":\"" + tenant + "\",\"role\":\"app\"" + limitsJson + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("key").asText();
    }

    private static HttpResponse<String> chat(String key, String model) throws Exception {
        return send(port, key, "POST", "/v1/chat/completions", CHAT.formatted(model));
    }

    private static void assertRefused(HttpResponse<String> r, int status, String... words) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode error = json(r).get("error");
        assertThat(error).as(r.body()).isNotNull();
        assertThat(error.get("message").asText()).contains(words);
        if (status == 429) {
            long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retry).isPositive();
        }
    }

    @Test
    void allowedModelsHoldOnChatAndEmbeddings() throws Exception {
        String k = key("acme", ",\"allowed_models\":[\"priced\"]");
        assertThat(chat(k, "priced").statusCode()).isEqualTo(200);
        assertRefused(chat(k, "other"), 403, "may not use model 'other'", "[priced]");
        assertRefused(send(port, k, "POST", "/v1/embeddings", "{\"model\":\"e5\",\"input\":\"hello\"}"), 403, "may not use model 'e5'");
        assertThat(json(send(port, admin, "GET", "/v1/keys", null)).get("data").toString()).contains("\"allowed_models\":[\"priced\"]");
        List<String> listed = new java.util.ArrayList<>();
        json(send(port, k, "GET", "/v1/models", null)).get("data").forEach(m -> listed.add(m.get("id").asText()));
        assertThat(listed).contains("priced").doesNotContain("other", "e5");
        List<String> all = new java.util.ArrayList<>();
        json(send(port, admin, "GET", "/v1/models", null)).get("data").forEach(m -> all.add(m.get("id").asText()));
        assertThat(all).contains("priced", "other", "e5");
    }

    @Test
    void aTenantsAllowedModelsHoldForEveryKeyOfIt() throws Exception {
        String k = key("globex", "");
        assertRefused(chat(k, "priced"), 403, "tenant 'globex' may not use model 'priced'", "tenants.globex.allowed_models");
        assertThat(chat(k, "other").statusCode()).isEqualTo(200);
    }

    @Test
    void tokensPerMinuteRefuseTheRequestAfterTheOneThatCrossedTheLimit() throws Exception {
        String k = key("acme", ",\"tokens_per_minute\":100");
        SecurityHttp.withinOneMinute();
        assertThat(chat(k, "priced").statusCode()).isEqualTo(200);     // 60 tokens
        assertThat(chat(k, "priced").statusCode()).isEqualTo(200);     // 120: crosses the limit, still answered
        assertRefused(chat(k, "priced"), 429, "used 120 of its 100 tokens this minute");
        assertRefused(send(port, k, "POST", "/v1/retrieve", "{\"query\":\"travel\"}"), 429, "tokens this minute");
    }

    @Test
    void requestsPerMinuteAnswer429WithRetryAfter() throws Exception {
        String k = key("acme", ",\"requests_per_minute\":2");
        SecurityHttp.withinOneMinute();
        assertThat(chat(k, "priced").statusCode()).isEqualTo(200);
        assertThat(chat(k, "priced").statusCode()).isEqualTo(200);
        assertRefused(chat(k, "priced"), 429, "2 requests per minute");
    }

    @Test
    void maxParallelRefusesTheSecondRequestInFlight() throws Exception {
        String k = key("acme", ",\"max_parallel\":1");
        upstream.enqueue(Reply.text("slow").withUsage(1, 1).withFirstByteDelay(Duration.ofSeconds(2)));
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return chat(k, "priced");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(700);
        assertRefused(chat(k, "priced"), 429, "already has 1 requests in flight");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(chat(k, "priced").statusCode()).as("the slot is free again").isEqualTo(200);
    }

    @Test
    void aKeysBudgetRefusesWhatItCannotCover() throws Exception {
        // the worst case of one request is 100 completion tokens at $10 per million = $0.001 plus the prompt
        String k = key("acme", ",\"budget_usd\":\"0.0005\",\"budget_period\":\"day\"");
        assertRefused(chat(k, "priced"), 429, "budget");
        String enough = key("acme", ",\"budget_usd\":5");
        assertThat(chat(enough, "priced").statusCode()).isEqualTo(200);
        assertRefused(send(port, admin, "POST", "/v1/keys", "{\"role\":\"app\",\"budget_usd\":-1}"), 400, "budget_usd must be >= 0");
        assertRefused(send(port, admin, "POST", "/v1/keys", "{\"role\":\"app\",\"tokens_per_minute\":\"many\"}"), 400, "tokens_per_minute");
    }

    @Test
    void allowedCollectionsHoldOnRetrievalQueriesAndDocuments() throws Exception {
        String k = key("acme", ",\"allowed_collections\":[\"default\"]");
        assertRefused(send(port, k, "POST", "/v1/retrieve", "{\"query\":\"travel\",\"collection\":\"hr\"}"), 403, "may not use collection 'hr'");
        assertRefused(send(port, k, "POST", "/v1/query", "{\"question\":\"travel?\",\"collection\":\"hr\"}"), 403, "collection 'hr'");
        assertRefused(send(port, k, "POST", "/v1/documents?collection=hr",
                "{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\"}"), 403, "collection 'hr'");
        HttpResponse<String> named = send(port, k, "POST", "/v1/documents",
                "{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"collection\":\"hr\",\"content\":\"x\"}");
        assertThat(named.body()).as("an event naming another collection is rejected").contains("may not write collection 'hr'");
        assertThat(json(named).get("rejected").asInt()).isEqualTo(1);
        assertRefused(send(port, k, "DELETE", "/v1/documents/a?version=2&collection=hr", null), 403, "collection 'hr'");
        HttpResponse<String> pushed = send(port, k, "POST", "/v1/documents", "{\"op\":\"upsert\",\"id\":\"travel\",\"version\":1,"
                + "\"content\":\"Travel is booked in economy class.\"}");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(json(pushed).get("accepted").asInt()).isEqualTo(1);
        HttpResponse<String> found = send(port, k, "POST", "/v1/retrieve", "{\"query\":\"travel economy\"}");
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    }
}
