package io.keel.stream.kafka;

import io.keel.core.spi.CollectionIndex;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.stream.DocumentEvent;
import io.keel.stream.DocumentEvents;
import io.keel.stream.EventApplier;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.StreamFixtures;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The broker restarts in the middle of an ingestion: events sent before, during the restart's downtime (the producer
 * retries) and after are all indexed exactly once, and the consumer resumes without being restarted.
 */
class KafkaBrokerRestartTest {
    @TempDir
    Path brokerDir;
    @TempDir
    Path dataDir;

    @Test
    void aBrokerRestartDuringIngestionLosesAndDuplicatesNothing() throws Exception {
        int total = 90;
        try (KafkaBroker broker = KafkaBroker.start(brokerDir); LuceneIndexStore store = StreamFixtures.store(dataDir)) {
            String topic = "restart-events";
            broker.createTopic(topic, 2);
            broker.createTopic(topic + ".dlq", 1);
            CollectionIndex index = store.collection("kb", true);
            KafkaIngestionConfig config = KafkaIngestionConfig.of(broker.bootstrap(), topic, "kb").withGroupId("keel-restart")
                    .withBatching(8, Duration.ofMillis(20)).withRetryBackoff(Duration.ofMillis(200));
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 KafkaIngestion ingestion = new KafkaIngestion(config, index, new EventApplier(StreamFixtures.embedder()), new FreshnessTracker())) {
                ingestion.start();
                for (int i = 0; i < 30; i++) send(producer, topic, i);
                producer.flush();
                await("part of the stream indexed", () -> index.info().documents() >= 10, Duration.ofSeconds(60));

                // restart while the consumer is mid-stream; events keep being produced (the producer buffers and retries)
                Thread sender = Thread.ofVirtual().start(() -> {
                    for (int i = 30; i < 60; i++) send(producer, topic, i);
                });
                broker.restart(Duration.ofSeconds(2));
                sender.join();
                for (int i = 60; i < total; i++) send(producer, topic, i);
                producer.flush();

                await("every event indexed", () -> index.info().documents() >= total, Duration.ofSeconds(120));
                await("offsets committed", () -> broker.committedOffsets(config.groupId(), topic) >= total, Duration.ofSeconds(60));
                assertThat(index.info().documents()).as("no event lost, none twice").isEqualTo(total);
                assertThat(index.info().chunks()).as("no document duplicated").isEqualTo(total);
                for (int i = 0; i < total; i++) assertThat(index.document("b" + i)).as("b" + i).isPresent();
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, int i) {
        DocumentEvent e = DocumentEvent.upsert("b" + i, null, 1, "broker restart document " + i + " about caracalite", "text/plain");
        producer.send(new ProducerRecord<>(topic, e.id().getBytes(StandardCharsets.UTF_8), DocumentEvents.toBytes(e)));
    }

    private static void await(String what, java.util.function.BooleanSupplier condition, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
