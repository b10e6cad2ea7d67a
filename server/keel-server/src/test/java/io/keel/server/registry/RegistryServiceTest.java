package io.keel.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.keel.registry.ModelRegistry;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The registry API on a real Helidon server (port 0) over a real SQLite registry. */
class RegistryServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String GPT_SMALL = """
            {"name":"gpt-small","provider":"openai","model":"gpt-4o-mini",
             "endpoints":["https://api.openai.com/v1"],"api_key_env":"OPENAI_API_KEY",
             "params":{"temperature":%s},"price":{"input_per_1m":0.15,"output_per_1m":0.6,"cached_input_per_1m":0.075}%s}""";

    @TempDir
    Path dir;
    private Database db;
    private WebServer server;
    private String base;

    @BeforeEach
    void start() {
        db = Database.sqlite(dir.resolve("keel.db"));
        RegistryService service = new RegistryService(new ModelRegistry(db),
                new io.keel.app.config.ProviderKeysConfig(java.util.Map.of("OPENAI_API_KEY", java.util.List.of("api.openai.com"))));
        server = WebServer.builder().port(0).routing(r -> r.register(service)).build().start();
        base = "http://localhost:" + server.port();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
        if (db != null) db.close();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private Answer post(String path, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("X-Keel-User", "alice").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static String gptSmall(double temperature, String extra) {
        return GPT_SMALL.formatted(temperature, extra);
    }

    @Test
    void registerPromoteRollbackAndRead() throws Exception {
        Answer created = post("/v1/registry/models", gptSmall(0.1, ",\"notes\":\"baseline\""));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().at("/version").asInt()).isEqualTo(1);
        assertThat(created.body().at("/stage").asText()).isEqualTo("development");
        assertThat(created.body().at("/created").asBoolean()).isTrue();
        assertThat(created.body().at("/notes").asText()).isEqualTo("baseline");
        assertThat(created.body().at("/created_by").asText()).isEqualTo("alice");
        assertThat(created.body().at("/price/cached_input_per_1m").asDouble()).isEqualTo(0.075);
        assertThat(created.body().at("/config/notes").isMissingNode()).as("notes are not part of the config").isTrue();
        assertThat(created.body().at("/config/api_key_env").asText()).isEqualTo("OPENAI_API_KEY");

        Answer same = post("/v1/registry/models", gptSmall(0.1, ""));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body().at("/created").asBoolean()).isFalse();
        assertThat(post("/v1/registry/models", gptSmall(0.2, ",\"stage\":\"staging\"")).body().at("/stage").asText()).isEqualTo("staging");

        assertThat(post("/v1/registry/models/gpt-small/promote", "{\"version\":1,\"stage\":\"production\"}").status()).isEqualTo(200);
        Answer promoted = post("/v1/registry/models/gpt-small/promote", "{\"version\":2,\"note\":\"better\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().at("/stage").asText()).as("the stage defaults to production").isEqualTo("production");

        Answer list = get("/v1/registry/models");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().at("/models/0/name").asText()).isEqualTo("gpt-small");
        assertThat(list.body().at("/models/0/production").asInt()).isEqualTo(2);
        assertThat(list.body().at("/models/0/staging").isNull()).isTrue();
        assertThat(list.body().at("/models/0/versions/0/stage").asText()).isEqualTo("archived");

        Answer rolledBack = post("/v1/registry/models/gpt-small/rollback", "{\"stage\":\"production\",\"note\":\"regression\"}");
        assertThat(rolledBack.status()).isEqualTo(200);
        assertThat(rolledBack.body().at("/version").asInt()).isEqualTo(1);

        Answer show = get("/v1/registry/models/gpt-small");
        assertThat(show.body().at("/production").asInt()).isEqualTo(1);
        assertThat(show.body().at("/resolved").asInt()).isEqualTo(1);
        assertThat(show.body().at("/versions").size()).isEqualTo(2);

        Answer version = get("/v1/registry/models/gpt-small/versions/2");
        assertThat(version.status()).isEqualTo(200);
        assertThat(version.body().at("/stage").asText()).isEqualTo("archived");
        assertThat(version.body().at("/config/params/temperature").asDouble()).isEqualTo(0.2);

        Answer audit = get("/v1/registry/models/gpt-small/audit");
        assertThat(audit.status()).isEqualTo(200);
        JsonNode last = audit.body().at("/entries").get(audit.body().at("/entries").size() - 2);
        assertThat(last.at("/action").asText()).isEqualTo("rollback");
        assertThat(last.at("/from_version").asInt()).isEqualTo(2);
        assertThat(last.at("/to_version").asInt()).isEqualTo(1);
        assertThat(last.at("/actor").asText()).isEqualTo("alice");
        assertThat(last.at("/note").asText()).isEqualTo("regression");
    }

    @Test
    void theActorDefaultsToApi() throws Exception {
        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/v1/registry/models"))
                .POST(HttpRequest.BodyPublishers.ofString(gptSmall(0.1, ""))));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.body().at("/created_by").asText()).isEqualTo("api");
    }

    @Test
    void badInputGetsAClearErrorAndNoStackTrace() throws Exception {
        assertError(post("/v1/registry/models", "{not json"), 400, "invalid_request", "not valid JSON");
        assertError(post("/v1/registry/models", "[1]"), 400, "invalid_request", "must be a JSON object");
        assertError(post("/v1/registry/models", ""), 400, "invalid_request", "the body is empty");
        assertError(post("/v1/registry/models", "{\"name\":\"x\",\"provider\":\"cohere\",\"endpoints\":[\"https://a/v1\"]}"),
                422, "unprocessable", "'provider' names 'cohere', which is not an available chat provider backend; available: [anthropic, azure-openai, openai]");
        assertError(post("/v1/registry/models", gptSmall(0.1, ",\"stage\":\"canary\"")), 422, "unprocessable", "unknown stage 'canary'");
        assertError(post("/v1/registry/models", gptSmall(0.1, ",\"pricing\":{}")), 422, "unprocessable", "price: {input_per_1m");
        assertError(get("/v1/registry/models/nope"), 404, "not_found", "no model named 'nope' is registered");

        post("/v1/registry/models", gptSmall(0.1, ""));
        assertError(get("/v1/registry/models/gpt-small/versions/9"), 404, "not_found", "has no version 9; its versions are 1 to 1");
        assertError(get("/v1/registry/models/gpt-small/versions/x"), 400, "invalid_request", "positive integer");
        assertError(post("/v1/registry/models/gpt-small/promote", "{}"), 400, "invalid_request", "needs \"version\"");
        assertError(post("/v1/registry/models/gpt-small/promote", "{\"version\":\"1\"}"), 400, "invalid_request", "positive integer");
        assertError(post("/v1/registry/models/gpt-small/promote", "{\"version\":1,\"stag\":\"production\"}"), 400, "invalid_request", "unknown field \"stag\"");
        assertError(post("/v1/registry/models/gpt-small/promote", "{\"version\":1,\"stage\":\"prod\"}"), 422, "unprocessable", "unknown stage 'prod'");
        assertError(post("/v1/registry/models/gpt-small/promote", "{\"version\":5}"), 404, "not_found", "has no version 5");
        assertError(post("/v1/registry/models/gpt-small/rollback", ""), 409, "conflict", "nothing to roll back");
        assertError(post("/v1/registry/models/gpt-small/rollback", "{\"stage\":\"development\"}"), 422, "unprocessable", "only staging and production");
        Answer wrongType = send(HttpRequest.newBuilder(URI.create(base + "/v1/registry/models")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")));
        assertError(wrongType, 415, "unsupported_media_type", "application/json");
    }

    private static void assertError(Answer a, int status, String code, String message) {
        assertThat(a.status()).as(a.body().toString()).isEqualTo(status);
        assertThat(a.body().at("/error/code").asText()).isEqualTo(code);
        assertThat(a.body().at("/error/message").asText()).contains(message).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aRegistrationNamingAnUndeclaredVariableOrSendingAKeyToAnotherHostIsRefused() throws Exception {
        Answer home = post("/v1/registry/models", GPT_SMALL.formatted("0.2", "").replace("OPENAI_API_KEY", "HOME"));
        assertThat(home.status()).isEqualTo(422);
        assertThat(home.body().toString()).contains("HOME").contains("providers.keys");
        Answer elsewhere = post("/v1/registry/models", GPT_SMALL.formatted("0.2", "").replace("api.openai.com", "attacker.example"));
        assertThat(elsewhere.status()).isEqualTo(422);
        assertThat(elsewhere.body().toString()).contains("attacker.example").contains("allowed_hosts");
        assertThat(get("/v1/registry/models").body().get("models")).isEmpty();
        assertThat(post("/v1/registry/models", GPT_SMALL.formatted("0.2", "")).status()).isEqualTo(201);
    }
}
