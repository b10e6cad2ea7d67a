package io.keel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.app.config.KeelConfig;
import io.keel.server.Json;
import io.keel.server.KeelServer;
import io.keel.test.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole product path: a server started on an empty data directory, documents ingested by the CLI (another Keel
 * instance, as with two processes), a question over HTTP, and the same question through {@code keel ask}.
 */
class EndToEndTest {
    private static Path dir;
    private static Path data;
    private static KeelServer server;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startServerOnAnEmptyDataDirectory() throws Exception {
        dir = Files.createTempDirectory("keel-e2e");
        data = dir.resolve("data");
        KeelConfig config = KeelConfig.defaults().withDataDir(data);
        server = KeelServer.start(config.withServer(config.server().withPort(0)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> query(String question) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/v1/query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\":\"" + question + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ingestThroughTheCliThenAskOverHttpAndThroughTheCli() throws Exception {
        HttpResponse<String> before = query("What does the retention policy say?");
        assertThat(before.statusCode()).isEqualTo(404);
        assertThat(before.body()).contains("does not exist");

        Path docs = TestFiles.folder(dir, "handbook",
                "retention.md",
                """
                # Data retention

                Customer records are kept for seven years after the contract ends. Backups are deleted after ninety days.
                """,
                "travel.md",
                """
                # Travel

                Economy class is booked for flights under six hours. Hotels are booked through the travel desk.
                """);
        CliRun ingest = run("ingest", docs.toString(), "--data", data.toString());
        assertThat(ingest.exit()).as(ingest.err()).isZero();

        // The server sees the other instance's commit within the refresh interval.
        HttpResponse<String> r = null;
        for (int i = 0; i < 50; i++) {
            r = query("How long are customer records kept?");
            if (r.statusCode() == 200) break;
            Thread.sleep(100);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode http = Json.MAPPER.readTree(r.body());
        assertThat(http.get("answer").asText()).contains("seven years");
        assertThat(http.get("citations").get(0).get("source").asText()).isEqualTo("handbook/retention.md");
        assertThat(http.get("timings_ms").get("embedding").asDouble()).isPositive();
        assertThat(http.get("timings_ms").get("vector_search").asDouble()).isPositive();
        assertThat(http.get("lineage").get("embedding_model").asText()).startsWith("all-minilm-l6-v2-q@");

        CliRun ask = run("ask", "How long are customer records kept?", "--data", data.toString(), "--json");
        assertThat(ask.exit()).as(ask.err()).isZero();
        JsonNode cli = Json.MAPPER.readTree(ask.out());
        assertThat(citations(cli)).isEqualTo(citations(http));
        assertThat(cli.get("answer").asText()).isEqualTo(http.get("answer").asText());
    }

    private static List<String> citations(JsonNode answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : answer.get("citations")) out.add(c.get("chunk_id").asText() + "@" + c.get("score").asText());
        return out;
    }

    @Test
    void exitCodesMeanSomething() {
        assertThat(run("ingest", dir.resolve("missing").toString(), "--data", data.toString()).exit()).isEqualTo(ExitCodes.USAGE);
        CliRun noCollection = run("ask", "anything", "--data", data.toString(), "--collection", "nothing-here");
        assertThat(noCollection.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(noCollection.err()).contains("collection 'nothing-here' does not exist");
        assertThat(run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("ask", "--help").exit()).isEqualTo(ExitCodes.OK);
    }
}
