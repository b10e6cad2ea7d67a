package io.keel.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.keel.core.spi.IngestionJob;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlIngestionJobStore;
import io.keel.stream.EventApplier;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.PushConfig;
import io.keel.stream.StreamFixtures;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.keel.stream.StreamFixtures.documentsMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** Asynchronous pushes on a real server, index, embedder and SQLite job store. */
class IngestionJobsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private LuceneIndexStore store;
    private Database db;
    private WebServer server;
    private String base;
    /** Pushes to collection "slow" wait for this latch before their batch is applied. */
    private final CountDownLatch slow = new CountDownLatch(1);

    @BeforeEach
    void start() {
        store = StreamFixtures.store(dir.resolve("index"));
        db = Database.sqlite(dir.resolve("keel.db"));
        server = serve(PushConfig.DEFAULTS.withBatchSize(4).withMaxEvents(20).withMaxQueuedEvents(20));
    }

    private WebServer serve(PushConfig config) {
        DocumentService service = new DocumentService(name -> {
            if (name.equals("slow")) await(slow);
            return store.collection(name, true);
        }, new EventApplier(StreamFixtures.embedder()), new FreshnessTracker(), List::of, config)
                .jobsIn(new SqlIngestionJobStore(db));
        WebServer s = WebServer.builder().port(0).routing(r -> {
            r.register(service);
            ErrorHandling.register(r, path -> ErrorEnvelope.KEEL);
        }).build().start();
        base = "http://localhost:" + s.port();
        return s;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        slow.countDown();
        if (server != null) server.stop();
        store.close();
        db.close();
    }

    private HttpResponse<String> push(String collection, String body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/v1/documents?async=true&collection=" + collection))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode job(String id) throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/v1/ingestion/jobs/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private JsonNode awaitFinished(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode j = job(id);
            if (IngestionJob.State.ofWire(j.get("state").asText()).finished()) return j;
            Thread.sleep(50);
        }
        throw new AssertionError("job " + id + " did not finish within 60 s");
    }

    private static String events(String prefix, int n, String word) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"op\":\"upsert\",\"id\":\"").append(prefix).append(i).append("\",\"version\":1,\"content\":\"")
                    .append(word).append(" note ").append(i).append("\"}\n");
        }
        return b.toString();
    }

    @Test
    void anAsyncPushIsAnswered202WithAJobThatEndsDoneWithEveryResult() throws Exception {
        HttpResponse<String> r = push("kb", events("a-", 10, "quokkaite") + "{\"op\":\"upsert\",\"id\":\"bad\"}\n");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(r.body());
        String id = accepted.get("job_id").asText();
        assertThat(r.headers().firstValue("Location")).hasValue("/v1/ingestion/jobs/" + id);
        assertThat(accepted.get("events").asInt()).isEqualTo(11);

        JsonNode done = awaitFinished(id);
        assertThat(done.get("state").asText()).isEqualTo("done");
        assertThat(done.get("processed").asInt()).isEqualTo(11);
        assertThat(done.at("/result/accepted").asInt()).isEqualTo(10);
        assertThat(done.at("/result/rejected").asInt()).isEqualTo(1);
        assertThat(done.at("/result/results")).hasSize(11);
        assertThat(done.at("/result/results/10/reason").asText()).contains("version");
        assertThat(documentsMatching(store.collection("kb", true), "quokkaite")).hasSize(10);
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndAcceptsAgainOnceDrained() throws Exception {
        HttpResponse<String> first = push("slow", events("s-", 16, "wombatite"));
        assertThat(first.statusCode()).isEqualTo(202);

        HttpResponse<String> refused = push("kb", events("k-", 8, "numbatite"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 300L));
        assertThat(JSON.readTree(refused.body()).at("/error/code").asText()).isEqualTo("rate_limited");
        assertThat(JSON.readTree(refused.body()).at("/error/message").asText()).contains("streaming.http.max_queued_events");
        assertThat(documentsMatching(store.collection("kb", true), "numbatite")).isEmpty();

        slow.countDown();
        assertThat(awaitFinished(JSON.readTree(first.body()).get("job_id").asText()).get("state").asText()).isEqualTo("done");
        HttpResponse<String> again = push("kb", events("k-", 8, "numbatite"));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(awaitFinished(JSON.readTree(again.body()).get("job_id").asText()).at("/result/accepted").asInt()).isEqualTo(8);
    }

    @Test
    void aMalformedAsyncBodyQueuesNothing() throws Exception {
        HttpResponse<String> r = push("kb", events("m-", 3, "dingoite") + "{\"op\": upsert}\n");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("nothing of the push was queued");
        Thread.sleep(200);
        assertThat(documentsMatching(store.collection("kb", true), "dingoite")).isEmpty();
    }

    @Test
    void jobsUnfinishedWhenTheServerStoppedAreReportedLostAfterARestart() throws Exception {
        HttpResponse<String> r = push("slow", events("l-", 4, "bilbyite"));
        String id = JSON.readTree(r.body()).get("job_id").asText();
        assertThat(job(id).get("state").asText()).isIn("queued", "running");
        // The process dies with the job in memory: its row says running; a new instance starts on the same store.
        SqlIngestionJobStore jobs = new SqlIngestionJobStore(db);
        jobs.save(jobs.find(id).orElseThrow().running(0, Instant.now()));
        WebServer restarted = serve(PushConfig.DEFAULTS);
        try {
            JsonNode lost = job(id);
            assertThat(lost.get("state").asText()).isEqualTo("lost");
            assertThat(lost.get("error").asText()).contains("push them again");
        } finally {
            restarted.stop();
        }
    }

    @Test
    void anUnknownJobIs404() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/v1/ingestion/jobs/job_nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("not_found");
    }

    @Test
    void moreEventsThanMaxEventsIs413AndNothingIsQueued() throws Exception {
        HttpResponse<String> r = push("kb", events("x-", 21, "potoroite"));
        assertThat(r.statusCode()).isEqualTo(413);
        Thread.sleep(200);
        assertThat(documentsMatching(store.collection("kb", true), "potoroite")).isEmpty();
    }
}
