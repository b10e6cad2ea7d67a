package io.keel.cli;

import io.keel.stream.kafka.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka ingestion in two {@code keel serve} processes, one consumer group, one PostgreSQL + pgvector index: the four
 * partitions split between them, and when one is killed ({@code kill -9}: no shutdown, no offset commit, no leaving
 * the group) in the middle of the stream, the other takes its partitions after the session timeout and every document
 * ends up in the index exactly once. Needs PostgreSQL with pgvector; starts a real broker in this JVM.
 */
class TwoInstancesKafkaTest {
    private static final int EVENTS = 240;
    private static final String TOPIC = "documents";

    @TempDir
    Path dir;
    private String database;
    private KafkaBroker broker;

    @BeforeEach
    void start() {
        database = "keel_two_kafka_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("this test needs PostgreSQL on 127.0.0.1:5432 (user postgres) with pgvector: start it "
                    + "and run 'bash .ci/install-pgvector.sh'. Cause: " + e.getMessage(), e);
        }
        broker = KafkaBroker.start(dir.resolve("kafka"));
        broker.createTopic(TOPIC, 4);
    }

    @AfterEach
    void stop() throws SQLException {
        if (broker != null) broker.close();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void aKilledInstancesPartitionsMoveToTheOtherAndEveryDocumentIsIndexedExactlyOnce() throws Exception {
        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, """
                store:
                  backend: postgresql
                  url: jdbc:postgresql://127.0.0.1:5432/%s
                  user: postgres
                index:
                  backend: pgvector
                streaming:
                  kafka:
                    bootstrap_servers: %s
                    topic: %s
                    collection: stream
                    max_batch_records: 16
                    retry_backoff: 200ms
                    client: {session.timeout.ms: 6000, heartbeat.interval.ms: 1000}
                """.formatted(database, broker.bootstrap(), TOPIC));
        try (KeelProcess a = KeelProcess.serve("a", config, dir.resolve("a"));
             KeelProcess b = KeelProcess.serve("b", config, dir.resolve("b"))) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "doc-" + i;
                    producer.send(new ProducerRecord<>(TOPIC, id, "{\"op\":\"upsert\",\"id\":\"" + id + "\",\"version\":1,"
                            + "\"content\":\"Document number " + i + " of the failover stream, about the ocelot.\"}"));
                }
                producer.flush();
            }
            // Kill A once the stream is part way in: its uncommitted batch and its partitions must not be lost.
            await("part of the stream is indexed", () -> count("docs") >= EVENTS / 8);
            a.kill();
            long killedNanos = System.nanoTime();
            long killedAt = count("docs");
            assertThat(killedAt).as("A was killed in the middle of the stream").isLessThan(EVENTS);

            await("B indexes the rest, A's partitions included", () -> count("docs") == EVENTS);
            System.out.printf("A killed with %d of %d documents indexed; B had indexed all of them %d ms later%n", killedAt,
                    EVENTS, (System.nanoTime() - killedNanos) / 1_000_000);
            Thread.sleep(1_000); // anything applied twice would show now
            assertThat(count("docs")).as("every document once").isEqualTo(EVENTS);
            assertThat(count("chunks")).as("no document's chunks twice").isEqualTo(EVENTS);
            assertThat(b.output()).doesNotContain("Exception in thread");
        }
    }

    /** Rows of the stream collection's {@code docs} or {@code chunks} table; 0 before the collection exists. */
    private long count(String table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "")) {
            Integer id;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM keel_pgv_collections WHERE name = 'stream'")) {
                if (!rs.next()) return 0;
                id = rs.getInt(1);
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM keel_pgv_" + table + "_" + id)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the index's tables are not made yet
            throw e;
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(50);
        }
    }
}
