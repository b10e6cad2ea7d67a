package io.keel.server.documents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.keel.core.spi.CollectionIndex;
import io.keel.http.ErrorEnvelope;
import io.keel.http.ErrorHandling;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.stream.EventApplier;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.IngestionSource;
import io.keel.stream.PartitionLag;
import io.keel.stream.PushConfig;
import io.keel.stream.SourceStatus;
import io.keel.stream.StreamFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;

import static io.keel.stream.StreamFixtures.documentsMatching;
import static org.assertj.core.api.Assertions.assertThat;

/** The push API on a real Helidon server (port 0) over a real index and embedder. */
class DocumentServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    private static LuceneIndexStore store;
    private static FreshnessTracker freshness;
    private static WebServer server;
    private static String base;
    private CollectionIndex kb;

    @BeforeAll
    static void start() {
        store = StreamFixtures.store(dataDir);
        freshness = new FreshnessTracker();
        EventApplier applier = new EventApplier(StreamFixtures.embedder());
        IngestionSource kafka = () -> new SourceStatus("kafka:kb-events", "kb", true,
                List.of(new PartitionLag("kb-events", 0, 40, 42)), 2);
        DocumentService service = new DocumentService(name -> store.collection(name, !name.equals("missing")), applier,
                freshness, () -> List.of(kafka), PushConfig.DEFAULTS.withBatchSize(4).withMaxEvents(50));
        server = WebServer.builder().port(0).routing(r -> {
            r.register(service);
            ErrorHandling.register(r, path -> ErrorEnvelope.KEEL);
        }).build().start();
        base = "http://localhost:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (store != null) store.close();
    }

    @BeforeEach
    void collection() {
        kb = store.collection("kb", true);
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static Answer post(String path, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Answer post(String body) throws IOException, InterruptedException {
        return post("/v1/documents?collection=kb", "application/json", body);
    }

    @Test
    void oneEventIsAcceptedAndSearchable() throws Exception {
        Answer a = post("{\"op\":\"upsert\",\"id\":\"one\",\"version\":1,\"content\":\"# Leave\\n\\nParental leave lasts narwhalite weeks.\",\"media_type\":\"text/markdown\"}");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/accepted").asInt()).isEqualTo(1);
        assertThat(a.body().at("/errors").asBoolean()).isFalse();
        assertThat(a.body().at("/results/0/id").asText()).isEqualTo("one");
        assertThat(a.body().at("/results/0/status").asText()).isEqualTo("accepted");
        assertThat(a.body().at("/results/0/chunks").asInt()).isEqualTo(1);
        assertThat(a.body().at("/index_versions/kb").asLong()).isEqualTo(kb.info().version());
        assertThat(documentsMatching(kb, "narwhalite")).containsExactly("one");
    }

    @Test
    void anArrayGetsOneResultPerEventInOrder() throws Exception {
        Answer a = post("""
                [{"op":"upsert","id":"arr-1","version":2,"content":"belugite one"},
                 {"op":"upsert","id":"arr-1","version":1,"content":"older"},
                 {"op":"upsert","id":"arr-2","content":"no version"},
                 {"op":"upsert","id":"arr-2","version":1,"content":"belugite two","collection":"missing"},
                 {"op":"delete","id":"arr-3","version":4}]""");

        assertThat(a.status()).isEqualTo(200);
        JsonNode r = a.body().get("results");
        assertThat(r).hasSize(5);
        assertThat(r.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(r.get(1).get("status").asText()).isEqualTo("stale");
        assertThat(r.get(1).get("reason").asText()).contains("not newer than the document at version 2");
        assertThat(r.get(2).get("status").asText()).isEqualTo("rejected");
        assertThat(r.get(2).get("reason").asText()).contains("needs a 'version'");
        assertThat(r.get(3).get("status").asText()).isEqualTo("rejected");
        assertThat(r.get(3).get("reason").asText()).contains("collection 'missing' does not exist");
        assertThat(r.get(4).get("status").asText()).isEqualTo("accepted");
        assertThat(a.body().at("/errors").asBoolean()).isTrue();
        assertThat(a.body().at("/rejected").asInt()).isEqualTo(2);
        assertThat(documentsMatching(kb, "belugite")).containsExactly("arr-1");
    }

    @Test
    void ndjsonIsReadLineByLineAndAppliedInBoundedBatches() throws Exception {
        long before = kb.info().version();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            body.append("{\"op\":\"upsert\",\"id\":\"nd-").append(i).append("\",\"version\":1,\"content\":\"orcanite line ")
                    .append(i).append("\"}\n");
        }

        Answer a = post("/v1/documents?collection=kb", "application/x-ndjson", body.toString());

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/accepted").asInt()).isEqualTo(10);
        assertThat(kb.info().version() - before).as("10 events in batches of 4: three commits").isEqualTo(3);
        assertThat(documentsMatching(kb, "orcanite")).hasSize(10);
    }

    @Test
    void aLargeStreamedBodyIsNotBufferedWhole() throws Exception {
        // 20 events sent as a stream of pieces, read and applied in batches of 4 as they arrive.
        Enumeration<InputStream> parts = new Enumeration<>() {
            int i = -1;

            @Override
            public boolean hasMoreElements() {
                return i < 21;
            }

            @Override
            public InputStream nextElement() {
                if (!hasMoreElements()) throw new NoSuchElementException();
                i++;
                String s = i == 0 ? "[" : i == 21 ? "]" : (i > 1 ? "," : "") + "{\"op\":\"upsert\",\"id\":\"big-" + i
                        + "\",\"version\":1,\"content\":\"" + StreamFixtures.article("dugongite" + i, 60).replace("\n", "\\n") + "\"}";
                return new java.io.ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
            }
        };
        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/v1/documents?collection=kb"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(parts))));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().at("/accepted").asInt()).isEqualTo(20);
        assertThat(a.body().get("results")).hasSize(20);
        assertThat(documentsMatching(kb, "dugongite7")).containsExactly("big-7");
    }

    @Test
    void malformedJsonStopsTheRequestAndReportsWhatWasApplied() throws Exception {
        Answer a = post("[{\"op\":\"upsert\",\"id\":\"pre\",\"version\":1,\"content\":\"manateeite\"}, {\"op\": upsert}]");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().at("/error/code").asText()).isEqualTo("invalid_request");
        assertThat(a.body().at("/error/message").asText()).contains("not valid JSON after 1 events");
        assertThat(a.body().at("/results/0/status").asText()).isEqualTo("accepted");
        assertThat(documentsMatching(kb, "manateeite")).containsExactly("pre");
    }

    @Test
    void requestLevelErrorsUseTheErrorShape() throws Exception {
        Answer empty = post("");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().at("/error/message").asText()).contains("the body is empty");

        Answer scalar = post("42");
        assertThat(scalar.status()).isEqualTo(400);

        Answer xml = post("/v1/documents", "application/xml", "<doc/>");
        assertThat(xml.status()).isEqualTo(415);
        assertThat(xml.body().at("/error/code").asText()).isEqualTo("unsupported_media_type");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 51; i++) many.append("{\"op\":\"delete\",\"id\":\"m").append(i).append("\",\"version\":1}\n");
        Answer tooMany = post("/v1/documents?collection=kb", "application/x-ndjson", many.toString());
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(tooMany.body().at("/error/message").asText()).contains("at most 50 events");
        assertThat(tooMany.body().get("results")).as("the first 50 were applied and are reported").hasSize(50);
    }

    @Test
    void deleteTakesTheVersionFromTheQuery() throws Exception {
        post("{\"op\":\"upsert\",\"id\":\"team/page\",\"version\":3,\"content\":\"walrusite page\"}");
        assertThat(documentsMatching(kb, "walrusite")).containsExactly("team/page");

        Answer stale = send(HttpRequest.newBuilder(URI.create(base + "/v1/documents/team/page?collection=kb&version=2")).DELETE());
        assertThat(stale.body().at("/results/0/status").asText()).isEqualTo("stale");
        assertThat(documentsMatching(kb, "walrusite")).containsExactly("team/page");

        Answer deleted = send(HttpRequest.newBuilder(URI.create(base + "/v1/documents/team/page?collection=kb&version=4")).DELETE());
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().at("/results/0/status").asText()).isEqualTo("accepted");
        assertThat(deleted.body().at("/results/0/id").asText()).isEqualTo("team/page");
        assertThat(documentsMatching(kb, "walrusite")).isEmpty();

        Answer noVersion = send(HttpRequest.newBuilder(URI.create(base + "/v1/documents/x?collection=kb")).DELETE());
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.body().at("/error/message").asText()).contains("?version=N");
    }

    @Test
    void statusReportsFreshnessCountsAndSourceLag() throws Exception {
        post("{\"op\":\"upsert\",\"id\":\"st\",\"version\":1,\"content\":\"sealite\"}");
        post("{\"op\":\"upsert\",\"id\":\"st\",\"version\":1,\"content\":\"sealite\"}");

        Answer a = send(HttpRequest.newBuilder(URI.create(base + "/v1/ingestion/status")).GET());

        assertThat(a.status()).isEqualTo(200);
        JsonNode b = a.body();
        assertThat(b.at("/freshness/samples").asInt()).isPositive();
        assertThat(b.at("/freshness/p99_ms").asDouble()).isGreaterThan(0).isGreaterThanOrEqualTo(b.at("/freshness/p50_ms").asDouble());
        assertThat(b.at("/freshness/histogram/le_ms")).hasSize(FreshnessTracker.BUCKET_BOUNDS_MS.size());
        assertThat(b.at("/events/accepted").asLong()).isPositive();
        assertThat(b.at("/events/stale").asLong()).isPositive();
        assertThat(b.at("/sources/1/name").asText()).isEqualTo("kafka:kb-events");
        assertThat(b.at("/sources/1/partitions/0/lag").asLong()).isEqualTo(2);
        assertThat(b.at("/backlog").asLong()).isEqualTo(2);
        assertThat(b.at("/sources/0/name").asText()).isEqualTo("http");
    }
}
