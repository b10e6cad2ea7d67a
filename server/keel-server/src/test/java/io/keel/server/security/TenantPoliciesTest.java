package io.keel.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.server.KeelServer;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.RecordedRequest;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.keel.server.security.SecurityHttp.json;
import static io.keel.server.security.SecurityHttp.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-tenant policies on a running server ({@code tenants.NAME.*}): the guard policy a tenant's requests are judged
 * by, chosen from {@code guard.policies_dir} by the key's tenant (never a header), and a tenant's own budget.
 */
class TenantPoliciesTest {
    private static final String EMAIL_CHAT = "{\"model\":\"chat\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Please write to alice.jones@example.com about the refund.\"}]}";
    private static FakeOpenAiServer upstream;
    private static KeelServer server;
    private static int port;
    private static String acme, globex, capped;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("keel-tenant-policies-test");
        Path policies = Files.createDirectories(dir.resolve("policies"));
        String defaults;
        try (InputStream in = TenantPoliciesTest.class.getResourceAsStream("/io/keel/guard/default-policy.yaml")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // strict: the bundled policy with e-mail addresses blocked instead of redacted
        Files.writeString(policies.resolve("strict.yaml"), defaults.replace("name: default", "name: strict")
                .replace("    CREDIT_CARD: mask", "    CREDIT_CARD: mask\n    EMAIL_ADDRESS: block"));
        upstream = new FakeOpenAiServer();
        upstream.defaultReply(Reply.text("Done.").withUsage(20, 5));
        Map<String, Object> model = Map.of("name", "chat", "provider", "openai", "model", "gpt-4o-mini",
                "endpoints", List.of(upstream.baseUri() + "/v1"), "retry", Map.of("max_attempts", 1),
                "price", Map.of("input_per_1m", 2.5, "output_per_1m", 10.0));
        KeelConfig config = KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "auth", Map.of("enabled", "true"),
                "models", List.of(model), "guard", Map.of("policies_dir", policies.toString()),
                "tenants", Map.of("acme", Map.of("guard_policy", "strict"),
                        "capped", Map.of("budgets", List.of(Map.of("period", "day", "limit_usd", 0.0001))))), Map.of());
        Keel keel = Keel.open(config);
        ApiKeyManager keys = new ApiKeyManager(keel.apiKeys(), Clock.systemUTC());
        acme = keys.create(new ApiKeyManager.Spec("acme", Role.APP, null, null, Set.of(), Set.of(), 0)).secret();
        globex = keys.create(new ApiKeyManager.Spec("globex", Role.APP, null, null, Set.of(), Set.of(), 0)).secret();
        capped = keys.create(new ApiKeyManager.Spec("capped", Role.APP, null, null, Set.of(), Set.of(), 0)).secret();
        server = KeelServer.start(keel, config.server().withPort(0));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (upstream != null) upstream.close();
    }

    private static List<String> upstreamBodies() {
        return upstream.requests("/chat/completions").stream().map(RecordedRequest::body).toList();
    }

    @Test
    void eachTenantIsJudgedByItsOwnPolicy() throws Exception {
        int before = upstreamBodies().size();
        HttpResponse<String> strict = send(port, acme, "POST", "/v1/chat/completions", EMAIL_CHAT);
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(200);
        JsonNode choice = json(strict).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("content_filter");
        assertThat(upstreamBodies()).as("a blocked request never reaches the model").hasSize(before);

        HttpResponse<String> lenient = send(port, globex, "POST", "/v1/chat/completions", EMAIL_CHAT);
        assertThat(lenient.statusCode()).as(lenient.body()).isEqualTo(200);
        assertThat(json(lenient).get("choices").get(0).get("message").get("content").asText()).isEqualTo("Done.");
        List<String> sent = upstreamBodies();
        assertThat(sent).hasSize(before + 1);
        assertThat(sent.getLast()).as("the default policy redacts the address").doesNotContain("alice.jones@example.com");
    }

    @Test
    void guardScanUsesTheCallersTenantPolicy() throws Exception {
        String scan = "{\"text\":\"Write to alice.jones@example.com\"}";
        JsonNode strict = json(send(port, acme, "POST", "/v1/guard/scan", scan));
        JsonNode lenient = json(send(port, globex, "POST", "/v1/guard/scan", scan));
        assertThat(strict.toString()).contains("strict");
        assertThat(lenient.toString()).doesNotContain("strict");
        assertThat(strict.toString()).isNotEqualTo(lenient.toString());
    }

    @Test
    void aForgedTenantHeaderDoesNotChooseThePolicy() throws Exception {
        java.net.http.HttpRequest r = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + acme).header("Content-Type", "application/json").header("X-Keel-Tenant", "globex")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(EMAIL_CHAT)).build();
        HttpResponse<String> res = java.net.http.HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
        assertThat(json(res).get("choices").get(0).get("finish_reason").asText()).isEqualTo("content_filter");
    }

    @Test
    void aTenantsBudgetHoldsForItsKeysOnly() throws Exception {
        String body = "{\"model\":\"chat\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
        HttpResponse<String> refused = send(port, capped, "POST", "/v1/chat/completions", body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(json(refused).get("error").get("message").asText()).contains("budget").contains("capped");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(send(port, globex, "POST", "/v1/chat/completions", body).statusCode()).isEqualTo(200);
    }
}
