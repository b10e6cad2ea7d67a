package io.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServer;
import io.keel.app.replay.EvaluationRun;
import io.keel.app.replay.EvaluationStore;
import io.keel.app.replay.Gate;
import io.keel.app.replay.GateVerdict;
import io.keel.app.replay.ReplayRow;
import io.keel.app.replay.ReplaySpec;
import io.keel.app.replay.ReplaySummary;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /v1/evaluations} on a real Helidon server over a real SQLite store. */
class EvaluationsServiceTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private Database db;
    private EvaluationStore store;
    private WebServer server;

    @BeforeEach
    void start() {
        db = Database.sqlite(dir.resolve("keel.db"));
        store = new EvaluationStore(db);
        EvaluationsService service = new EvaluationsService(store);
        server = WebServer.builder().port(0).routing(r -> {
            r.register(service);
            ErrorHandling.register(r, path -> ErrorEnvelope.KEEL);
        }).build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
        if (db != null) db.close();
    }

    private record Answer(int status, JsonNode body) {
    }

    private Answer get(String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Json.MAPPER.readTree(r.body()));
    }

    private static EvaluationRun run(String id, Instant created) {
        ReplayRow.Side original = new ReplayRow.Side("m@1", "rag-answer@1.0.0+53ff1eb1466c", "Seven years [1].", 0.00014, 100, 20,
                350.0, 300.0, 1.0, 0);
        ReplayRow.Side candidate = new ReplayRow.Side("m@2", "rag-answer@1.0.0+53ff1eb1466c", "Seven years [1]. And a free car.",
                0.0008, 400, 200, 420.0, 370.0, 0.5, 0);
        ReplayRow row = new ReplayRow("req_1", "2026-11-29T09:00:00Z", "/v1/query", "How long are records kept?", "ok", null, 2,
                original, candidate, 0.71, true);
        ReplaySummary summary = new ReplaySummary(1, 1, 0, Map.of("not_ok", 1), 0.0,
                new ReplaySummary.Totals(0.00014, 100, 20, 350.0, 1.0, 0L),
                new ReplaySummary.Totals(0.0008, 400, 200, 420.0, 0.5, 0L),
                new ReplaySummary.Deltas(471.4, 20.0, 400.0, -0.5, 0L), 0.71, 1.0, List.of("a note"));
        ReplaySpec spec = ReplaySpec.of("2026-11-29", "2026-11-30", "model=m@2", false, null, null);
        GateVerdict verdict = Gate.parse("max_cost_increase_pct: 10", "gate.yaml").evaluate(summary);
        return new EvaluationRun(id, created, spec, summary, List.of(row), verdict);
    }

    @Test
    void oneRunWithItsRowsAndVerdict() throws Exception {
        store.save(run("eval_00000000000000aa", Instant.parse("2026-11-29T10:00:00Z")));
        Answer a = get("/v1/evaluations/eval_00000000000000aa");
        assertThat(a.status()).isEqualTo(200);
        JsonNode b = a.body();
        assertThat(b.at("/id").asText()).isEqualTo("eval_00000000000000aa");
        assertThat(b.at("/created_at").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(b.at("/spec/candidate").asText()).isEqualTo("model=m@2");
        assertThat(b.at("/spec/from").asText()).isEqualTo("2026-11-29T00:00:00Z");
        assertThat(b.at("/summary/requests").asInt()).isEqualTo(1);
        assertThat(b.at("/summary/deltas/cost_pct").asDouble()).isEqualTo(471.4);
        assertThat(b.at("/summary/candidate/mean_groundedness").asDouble()).isEqualTo(0.5);
        assertThat(b.at("/summary/skipped/not_ok").asInt()).isEqualTo(1);
        assertThat(b.at("/gate/passed").asBoolean()).isFalse();
        assertThat(b.at("/gate/checks/1/name").asText()).isEqualTo("max_cost_increase_pct");
        assertThat(b.at("/gate/checks/1/message").asText()).isEqualTo("cost change +471.4% > +10.0%");
        assertThat(b.at("/rows")).hasSize(1);
        assertThat(b.at("/rows/0/request_id").asText()).isEqualTo("req_1");
        assertThat(b.at("/rows/0/candidate/completion_tokens").asInt()).isEqualTo(200);
        assertThat(b.at("/rows/0/similarity").asDouble()).isEqualTo(0.71);
    }

    @Test
    void recentRunsNewestFirstWithoutRows() throws Exception {
        store.save(run("eval_00000000000000aa", Instant.parse("2026-11-29T10:00:00Z")));
        store.save(run("eval_00000000000000bb", Instant.parse("2026-11-29T11:00:00Z")));
        Answer a = get("/v1/evaluations");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/data")).hasSize(2);
        assertThat(a.body().at("/data/0/id").asText()).isEqualTo("eval_00000000000000bb");
        assertThat(a.body().at("/data/0/rows").isMissingNode()).isTrue();
        assertThat(a.body().at("/data/0/summary/replayed").asInt()).isEqualTo(1);
        assertThat(get("/v1/evaluations?limit=1").body().at("/data")).hasSize(1);
    }

    @Test
    void errorsAreJson() throws Exception {
        Answer missing = get("/v1/evaluations/eval_ffffffffffffffff");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().toString()).contains("eval_ffffffffffffffff");
        assertThat(get("/v1/evaluations?limit=zero").status()).isEqualTo(400);
        assertThat(get("/v1/evaluations?limit=0").status()).isEqualTo(400);
        assertThat(get("/v1/evaluations?since=today").body().toString()).contains("unknown query parameter 'since'");
    }
}
