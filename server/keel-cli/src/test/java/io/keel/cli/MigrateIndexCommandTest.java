package io.keel.cli;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexedDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code keel migrate-index --from lucene --to pgvector}: a collection ingested into Lucene by the CLI, plus versioned
 * writes and a tombstone, is copied into pgvector on a fresh PostgreSQL database and searches the same there, with the
 * same vectors (nothing re-embedded) and versions. Needs PostgreSQL with pgvector; fails, never skips, without it.
 */
class MigrateIndexCommandTest {
    @TempDir
    Path dir;
    private String database;

    @BeforeEach
    void createDatabase() {
        database = "keel_cli_pgv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("this test needs PostgreSQL on 127.0.0.1:5432 (user postgres) with pgvector: start it "
                    + "and run 'bash .ci/install-pgvector.sh'. Cause: " + e.getMessage(), e);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    record Run(int exit, String out, String err) { }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = KeelCli.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void copiesALuceneCollectionIntoPgvectorWithItsVectorsAndVersions() throws Exception {
        Path data = dir.resolve("data");
        Path docs = Files.createDirectories(dir.resolve("handbook"));
        Files.writeString(docs.resolve("retention.md"), "# Data retention\n\nCustomer records are kept for seven years after the contract ends.\n");
        Files.writeString(docs.resolve("travel.md"), "# Travel\n\nEconomy class is booked for flights under six hours.\n");
        Run ingest = cli("ingest", docs.toString(), "--data", data.toString(), "--collection", "kb");
        assertThat(ingest.exit()).as(ingest.err()).isZero();

        List<SearchHit> onLucene;
        float[] vector;
        Map<String, float[]> luceneVectors;
        String travelId;
        try (Keel keel = Keel.open(KeelConfig.defaults().withDataDir(data))) {
            CollectionIndex kb = keel.indexes().collection("kb", false);
            Document d = new Document("streamed", "Streamed", "stream/1", "h-streamed", Instant.EPOCH, "text/plain",
                    Map.of("team", "ops"), "acme", List.of("alice"), List.of(Block.paragraph("on-call rota")));
            Chunk c = new Chunk(Chunk.idOf(d.id(), 0), d.id(), 0, "The on-call rota changes every Monday.", List.of(), 10);
            kb.upsert(d, List.of(c), keel.embedder().embedAll(List.of(c.embeddingText(d.title()))), 42);
            kb.delete("removed", 9);
            kb.commit();
            vector = keel.embedder().embedQuery("how long are customer records kept");
            onLucene = kb.search(new Query("how long are customer records kept", 3, RetrievalMode.HYBRID, Filters.NONE, "kb"), vector);
            travelId = kb.documentHashes("").keySet().stream().filter(id -> id.contains("travel")).findFirst().orElseThrow();
            luceneVectors = kb.chunkVectors(travelId);
        }

        Path yaml = dir.resolve("keel.yaml");
        Files.writeString(yaml, "data_dir: " + data + "\nindex:\n  backend: pgvector\n  pgvector:\n    url: jdbc:postgresql://127.0.0.1:5432/"
                + database + "\n");
        Run migrate = cli("migrate-index", "--config", yaml.toString(), "--from", "lucene", "--to", "pgvector", "--collection", "kb");
        assertThat(migrate.exit()).as(migrate.err()).isZero();
        assertThat(migrate.err()).contains("3 documents").contains("1 tombstones");

        try (Keel keel = Keel.open(KeelConfig.load(yaml))) {
            CollectionIndex kb = keel.indexes().collection("kb", false);
            assertThat(kb.info().documents()).isEqualTo(3);
            assertThat(kb.document("streamed")).contains(IndexedDocument.live("streamed", "h-streamed", 42));
            assertThat(kb.document("removed")).contains(IndexedDocument.tombstone("removed", 9));
            List<SearchHit> onPg = kb.search(new Query("how long are customer records kept", 3, RetrievalMode.HYBRID, Filters.NONE, "kb"), vector);
            assertThat(onPg.getFirst().documentId()).isEqualTo(onLucene.getFirst().documentId());
            assertThat(onPg).extracting(SearchHit::chunkId).containsExactlyInAnyOrderElementsOf(onLucene.stream().map(SearchHit::chunkId).toList());
            Map<String, float[]> pgVectors = kb.chunkVectors(travelId);
            assertThat(pgVectors.keySet()).isEqualTo(luceneVectors.keySet());
            luceneVectors.forEach((text, v) -> {
                for (int i = 0; i < v.length; i++) assertThat(pgVectors.get(text)[i]).isCloseTo(v[i], within(1e-6f));
            });
            Run again = cli("migrate-index", "--config", yaml.toString(), "--from", "lucene", "--to", "pgvector", "--collection", "kb");
            assertThat(again.exit()).isNotZero();
            assertThat(again.err()).contains("already holds 3 documents");
        }
    }
}
