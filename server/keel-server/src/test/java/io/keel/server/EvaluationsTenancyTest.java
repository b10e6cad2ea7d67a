package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.keel.app.config.AuthConfig;
import io.keel.app.replay.EvaluationRun;
import io.keel.app.replay.EvaluationStore;
import io.keel.app.replay.ReplaySpec;
import io.keel.app.replay.ReplaySummary;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Role;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.server.security.ServerSecurity;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evaluation runs hold replayed questions and answers: a developer or viewer reads only runs over its own tenant, an
 * admin reads every run, and a run over every tenant's traffic is an admin's alone.
 */
class EvaluationsTenancyTest {
    @TempDir
    Path dir;
    private Database db;
    private ServerSecurity security;
    private WebServer server;
    private String devA, viewerB, admin;

    @BeforeEach
    void start() {
        db = Database.sqlite(dir.resolve("keel.db"));
        SqlApiKeyStore keys = new SqlApiKeyStore(db);
        ApiKeyManager m = new ApiKeyManager(keys, Clock.systemUTC());
        devA = m.create(new ApiKeyManager.Spec("acme", Role.DEVELOPER, null, null, Set.of(), Set.of(), 0)).secret();
        viewerB = m.create(new ApiKeyManager.Spec("globex", Role.VIEWER, null, null, Set.of(), Set.of(), 0)).secret();
        admin = m.create(new ApiKeyManager.Spec("ops", Role.ADMIN, null, null, Set.of(), Set.of(), 0)).secret();
        EvaluationStore store = new EvaluationStore(db);
        store.save(run("eval_000000000000000a", "acme", "2026-11-29T10:00:00Z"));
        store.save(run("eval_000000000000000b", "globex", "2026-11-29T11:00:00Z"));
        store.save(run("eval_00000000000000a1", null, "2026-11-29T12:00:00Z"));
        security = new ServerSecurity(keys, new AuthConfig("true", Duration.ofSeconds(2), 0));
        server = WebServer.builder().port(0).routing(r -> {
            r.addFilter(security.filter(path -> ErrorEnvelope.KEEL));
            r.register(new EvaluationsService(store));
            ErrorHandling.register(r, path -> ErrorEnvelope.KEEL);
        }).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
        if (security != null) security.close();
        if (db != null) db.close();
    }

    private static EvaluationRun run(String id, String tenant, String created) {
        ReplaySummary summary = new ReplaySummary(0, 0, 0, Map.of(), 0.0,
                new ReplaySummary.Totals(0, 0, 0, 0, 0.0, 0L), new ReplaySummary.Totals(0, 0, 0, 0, 0.0, 0L),
                new ReplaySummary.Deltas(0.0, 0.0, 0.0, 0.0, 0L), 0.0, 0.0, List.of());
        ReplaySpec spec = ReplaySpec.of("2026-11-29", "2026-11-30", "model=m@2", false, null, null).withTenant(tenant);
        return new EvaluationRun(id, Instant.parse(created), spec, summary, List.of(), null);
    }

    private HttpResponse<String> get(String key, String path) throws Exception {
        return TestHttp.send(server.port(), "GET", path, null, null, "Authorization", "Bearer " + key);
    }

    private List<String> ids(String key) throws Exception {
        JsonNode body = TestHttp.json(get(key, "/v1/evaluations"));
        List<String> out = new ArrayList<>();
        body.get("data").forEach(r -> out.add(r.get("id").asText()));
        return out;
    }

    @Test
    void eachTenantReadsItsOwnRunsAndAdminsReadAll() throws Exception {
        assertThat(ids(devA)).containsExactly("eval_000000000000000a");
        assertThat(ids(viewerB)).containsExactly("eval_000000000000000b");
        assertThat(ids(admin)).containsExactly("eval_00000000000000a1", "eval_000000000000000b", "eval_000000000000000a");
        assertThat(get(devA, "/v1/evaluations/eval_000000000000000a").statusCode()).isEqualTo(200);
        assertThat(TestHttp.json(get(devA, "/v1/evaluations/eval_000000000000000a")).at("/spec/tenant").asText()).isEqualTo("acme");
        assertThat(get(devA, "/v1/evaluations/eval_000000000000000b").statusCode()).isEqualTo(404);
        assertThat(get(viewerB, "/v1/evaluations/eval_000000000000000a").statusCode()).isEqualTo(404);
        assertThat(get(devA, "/v1/evaluations/eval_00000000000000a1").statusCode()).as("a run over every tenant").isEqualTo(404);
        assertThat(get(admin, "/v1/evaluations/eval_000000000000000b").statusCode()).isEqualTo(200);
        assertThat(get(devA, "/v1/evaluations?limit=0").statusCode()).isEqualTo(400);
    }
}
