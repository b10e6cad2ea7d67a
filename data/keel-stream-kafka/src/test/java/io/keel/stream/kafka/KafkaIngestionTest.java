package io.keel.stream.kafka;

import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexedDocument;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.stream.AvroDocumentEvents;
import io.keel.stream.DocumentEvent;
import io.keel.stream.DocumentEvents;
import io.keel.stream.EventApplier;
import io.keel.stream.EventStatus;
import io.keel.stream.FreshnessSnapshot;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.ProtobufDocumentEvents;
import io.keel.stream.StreamFixtures;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static io.keel.stream.StreamFixtures.chunksByDocument;
import static io.keel.stream.StreamFixtures.documentsMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** The Kafka source against a real single-node KRaft broker, a real Lucene index and the real ONNX embedder. */
class KafkaIngestionTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path brokerDir;
    private static KafkaBroker broker;
    private static KafkaProducer<byte[], byte[]> producer;

    @TempDir
    Path dataDir;
    private LuceneIndexStore store;
    private CollectionIndex index;
    private EventApplier applier;
    private String topic;
    private final List<KafkaIngestion> ingestions = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(brokerDir);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p);
        StreamFixtures.embedder();
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) producer.close();
        if (broker != null) broker.close();
    }

    @BeforeEach
    void open(TestInfo test) {
        store = StreamFixtures.store(dataDir);
        index = store.collection("kb", true);
        applier = new EventApplier(StreamFixtures.embedder());
        topic = test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void close() {
        ingestions.forEach(KafkaIngestion::close);
        store.close();
    }

    private KafkaIngestionConfig config(int partitions) {
        broker.createTopic(topic, partitions);
        broker.createTopic(topic + ".dlq", 1);
        return KafkaIngestionConfig.of(broker.bootstrap(), topic, "kb").withGroupId("keel-" + topic)
                .withBatching(16, Duration.ofMillis(20));
    }

    private KafkaIngestion start(KafkaIngestionConfig config, CollectionIndex target, FreshnessTracker freshness) {
        KafkaIngestion ingestion = new KafkaIngestion(config, target, applier, freshness);
        ingestions.add(ingestion);
        ingestion.start();
        return ingestion;
    }

    private void send(DocumentEvent event) {
        send(event.id(), DocumentEvents.toBytes(event));
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
        producer.flush();
    }

    private static DocumentEvent upsert(String id, long version, String text) {
        return DocumentEvent.upsert(id, null, version, text, "text/plain");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting until " + what);
            sleep(Duration.ofMillis(50));
        }
    }

    /** Waits until the ingestion has consumed and committed everything in its partitions. */
    private static void awaitCaughtUp(KafkaIngestion ingestion, long events) {
        await("the committed offsets reach " + events, () -> {
            var status = ingestion.status();
            return !status.partitions().isEmpty() && status.backlog() == 0
                    && status.partitions().stream().mapToLong(p -> p.committedOffset()).sum() >= events;
        });
    }

    @Test
    void anUpsertBecomesSearchableAndFreshnessIsMeasured() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);

        send(upsert("a", 1, "Our refund window is quetzalite thirty days."));

        await("the document is searchable", () -> documentsMatching(index, "quetzalite").contains("a"));
        // The commit makes the document visible a moment before the source records its freshness.
        await("its freshness is recorded", () -> freshness.snapshot().samples() == 1);
        FreshnessSnapshot s = freshness.snapshot();
        assertThat(s.count(EventStatus.ACCEPTED)).isEqualTo(1);
        assertThat(s.samples()).isEqualTo(1);
        assertThat(s.p99Millis()).isPositive();
        awaitCaughtUp(ingestion, 1);
        assertThat(ingestion.status().partitions()).singleElement().satisfies(p -> {
            assertThat(p.topic()).isEqualTo(topic);
            assertThat(p.endOffset()).isEqualTo(1);
            assertThat(p.lag()).isZero();
        });
        assertThat(broker.committedOffsets("keel-" + topic, topic)).isEqualTo(1);
    }

    @Test
    void aRecordThatAlreadyWaitedItsBatchLatencyIsNotKeptWaiting() {
        start(config(1).withBatching(16, Duration.ofSeconds(60)), index, new FreshnessTracker());

        // written two minutes ago (say, in the broker while the previous batch was applied): due at once
        long written = System.currentTimeMillis() - 120_000;
        producer.send(new ProducerRecord<>(topic, null, written, "old".getBytes(StandardCharsets.UTF_8),
                DocumentEvents.toBytes(upsert("old", 1, "The quetzalite record was written two minutes ago."))));
        producer.flush();
        long sent = System.nanoTime();
        await("the old record is searchable", () -> documentsMatching(index, "quetzalite").contains("old"));
        // joining the group and applying take seconds; waiting out the batch latency would take a minute
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(30));

        // written now: waits for its batch to fill, up to the 60 s
        send(upsert("new", 1, "The obsidianite record was written just now."));
        sleep(Duration.ofSeconds(2));
        assertThat(documentsMatching(index, "obsidianite")).isEmpty();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    @Test
    void aDeleteRemovesTheDocument() {
        KafkaIngestion ingestion = start(config(1), index, new FreshnessTracker());
        send(upsert("a", 1, "temporary capybarite notice"));
        await("the document is searchable", () -> documentsMatching(index, "capybarite").contains("a"));

        send(DocumentEvent.delete("a", null, 2));

        await("the document is gone", () -> documentsMatching(index, "capybarite").isEmpty());
        awaitCaughtUp(ingestion, 2);
        assertThat(index.document("a")).contains(IndexedDocument.tombstone("a", 2));
    }

    @Test
    void outOfOrderVersionsKeepTheNewest() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);

        send(upsert("a", 3, "third version tapirite"));
        send(upsert("a", 1, "first version okapite"));
        send(DocumentEvent.delete("a", null, 2));

        awaitCaughtUp(ingestion, 3);
        assertThat(documentsMatching(index, "tapirite")).containsExactly("a");
        assertThat(documentsMatching(index, "okapite")).isEmpty();
        assertThat(index.document("a")).get().extracting(IndexedDocument::version).isEqualTo(3L);
        assertThat(freshness.snapshot().count(EventStatus.STALE)).isEqualTo(2);
    }

    @Test
    void aDuplicateDeliveryIsAppliedOnce() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);
        DocumentEvent event = upsert("a", 7, StreamFixtures.article("wombatite", 300));

        send(event);
        awaitCaughtUp(ingestion, 1);
        long version = index.info().version();
        List<String> chunks = chunksByDocument(index, "wombatite").get("a");
        send(event);
        awaitCaughtUp(ingestion, 2);

        assertThat(freshness.snapshot().count(EventStatus.ACCEPTED)).isEqualTo(1);
        assertThat(freshness.snapshot().count(EventStatus.STALE)).isEqualTo(1);
        assertThat(index.info().version()).as("the duplicate wrote nothing").isEqualTo(version);
        assertThat(chunks).hasSizeGreaterThan(1);
        assertThat(chunksByDocument(index, "wombatite").get("a")).containsExactlyInAnyOrderElementsOf(chunks);
    }

    @Test
    void avroAndJsonEventsShareATopic() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);
        byte[] unknownSchema = AvroDocumentEvents.toBytes(upsert("u", 1, "x"));
        unknownSchema[5] ^= 0x55;   // a fingerprint byte: a schema Keel does not know

        send("a", AvroDocumentEvents.toBytes(upsert("a", 1, "avro encoded numbatite article")));
        send(upsert("b", 1, "json encoded numbatite article"));
        send("a", AvroDocumentEvents.toBytes(DocumentEvent.delete("a", null, 2)));
        send("u", unknownSchema);

        awaitCaughtUp(ingestion, 4);
        assertThat(documentsMatching(index, "numbatite")).containsExactly("b");
        assertThat(index.document("a")).contains(IndexedDocument.tombstone("a", 2));
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dlq", 1);
        assertThat(header(dead.getFirst(), KafkaIngestion.HEADER_REASON)).contains("Avro schema Keel does not know");
    }

    @Test
    void protobufEventsShareATopicWithJson() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);

        send("a", ProtobufDocumentEvents.toConfluentBytes(upsert("a", 1, "confluent framed quaggaite article"), 7));
        ProducerRecord<byte[], byte[]> raw = new ProducerRecord<>(topic, "b".getBytes(StandardCharsets.UTF_8),
                ProtobufDocumentEvents.toBytes(upsert("b", 1, "raw protobuf quaggaite article")));
        raw.headers().add(KafkaIngestion.CONTENT_TYPE, "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
        producer.send(raw);
        send(upsert("c", 1, "json quaggaite article"));
        send("a", ProtobufDocumentEvents.toConfluentBytes(DocumentEvent.delete("a", null, 2), 7));
        send("z", new byte[] {0, 0, 0, 0, 7, 0, (byte) 0xFF});   // framed, but not a message

        awaitCaughtUp(ingestion, 5);
        assertThat(documentsMatching(index, "quaggaite")).containsExactlyInAnyOrder("b", "c");
        assertThat(index.document("a")).contains(IndexedDocument.tombstone("a", 2));
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dlq", 1);
        assertThat(header(dead.getFirst(), KafkaIngestion.HEADER_REASON)).contains("not a Keel Protobuf event");
    }

    @Test
    void poisonMessagesGoToTheDeadLetterTopicAndConsumptionContinues() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion ingestion = start(config(1), index, freshness);

        send("bad-json", "{not json".getBytes(StandardCharsets.UTF_8));
        send("no-version", "{\"op\":\"upsert\",\"id\":\"nv\",\"content\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        send(new DocumentEvent(DocumentEvent.Op.UPSERT, "p", null, 1, null, null, null, "/etc/hostname", null, null,
                null, null, null));
        send(upsert("good", 1, "valid jerboaite event after the poison"));

        await("the valid event is searchable", () -> documentsMatching(index, "jerboaite").contains("good"));
        awaitCaughtUp(ingestion, 4);
        List<ConsumerRecord<byte[], byte[]>> dead = readAll(topic + ".dlq", 3);
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("bad-json", "no-version", "p");
        assertThat(header(dead.get(0), KafkaIngestion.HEADER_REASON)).contains("not valid JSON");
        assertThat(header(dead.get(1), KafkaIngestion.HEADER_REASON)).contains("needs a 'version'");
        assertThat(header(dead.get(2), KafkaIngestion.HEADER_REASON)).contains("'path' events are disabled");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(header(dead.get(1), KafkaIngestion.HEADER_TOPIC)).isEqualTo(topic);
        assertThat(header(dead.get(1), KafkaIngestion.HEADER_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(1), KafkaIngestion.HEADER_COLLECTION)).isEqualTo("kb");
        assertThat(freshness.snapshot().count(EventStatus.REJECTED)).isEqualTo(3);
    }

    @Test
    void aRestartInTheMiddleOfAStreamLosesAndDuplicatesNothing() {
        KafkaIngestionConfig config = config(2).withBatching(8, Duration.ofMillis(20));
        int total = 48;
        for (int i = 0; i < total; i++) send(upsert("r" + i, 1, "restart document number " + i + " about ocelotite"));

        // First run: the third index commit reaches the disk, then the process "dies" before committing offsets.
        CrashingIndex crashing = CrashingIndex.crashingAt(index, 3);
        KafkaIngestion first = start(config, crashing, new FreshnessTracker());
        await("the simulated crash", crashing::crashed);
        first.close();
        long committedOffsets = broker.committedOffsets(config.groupId(), topic);
        store.close();

        // Second run on a freshly opened index: whatever was not committed is gone, exactly as after a kill.
        store = StreamFixtures.store(dataDir);
        index = store.collection("kb", false);
        long survived = index.info().documents();
        assertThat(survived).as("the crashed batch reached the index").isGreaterThan(committedOffsets);
        assertThat(committedOffsets).as("part of the stream is uncommitted").isLessThan(total);

        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestion second = start(config, index, freshness);
        awaitCaughtUp(second, total);

        assertThat(index.info().documents()).as("no event lost").isEqualTo(total);
        assertThat(index.info().chunks()).as("no document duplicated").isEqualTo(total);
        Map<String, List<String>> chunks = chunksByDocument(index, "ocelotite");
        assertThat(chunks).hasSize(total).allSatisfy((id, ids) -> assertThat(ids).containsExactly(id + "#0"));
        FreshnessSnapshot s = freshness.snapshot();
        assertThat(s.count(EventStatus.STALE)).as("the redelivered, already indexed records had no effect")
                .isEqualTo(survived - committedOffsets);
        assertThat(s.count(EventStatus.ACCEPTED)).isEqualTo(total - survived);
    }

    @Test
    void aFailedBatchIsRetriedUntilItApplies() {
        FreshnessTracker freshness = new FreshnessTracker();
        KafkaIngestionConfig config = config(1).withRetryBackoff(Duration.ofMillis(100));
        KafkaIngestion ingestion = start(config, CrashingIndex.failingFirst(index, 2), freshness);

        send(upsert("a", 1, "persistent pangolinite text"));

        await("the document is searchable", () -> documentsMatching(index, "pangolinite").contains("a"));
        awaitCaughtUp(ingestion, 1);
        FreshnessSnapshot s = freshness.snapshot();
        assertThat(s.failedBatches()).isEqualTo(2);
        assertThat(s.lastError()).contains("simulated failure of commit 2");
        assertThat(s.count(EventStatus.ACCEPTED)).isEqualTo(1);
        assertThat(index.info().chunks()).isEqualTo(1);
    }

    @Test
    void twoConsumersInOneGroupShareThePartitions() {
        KafkaIngestionConfig config = config(4);
        FreshnessTracker a = new FreshnessTracker();
        FreshnessTracker b = new FreshnessTracker();
        KafkaIngestion first = start(config, index, a);
        KafkaIngestion second = start(config, index, b);
        await("the two consumers split the four partitions", () -> {
            Set<Integer> owned = new HashSet<>();
            first.status().partitions().forEach(p -> owned.add(p.partition()));
            int shared = first.status().partitions().size();
            second.status().partitions().forEach(p -> owned.add(p.partition()));
            return shared > 0 && second.status().partitions().size() > 0 && owned.size() == 4
                    && shared + second.status().partitions().size() == 4;
        });

        int total = 32;
        for (int i = 0; i < total; i++) send(upsert("g" + i, 1, "group document " + i + " about margayite"));
        await("every document is searchable", () -> documentsMatching(index, "margayite").size() == total);

        assertThat(a.snapshot().count(EventStatus.ACCEPTED)).isPositive();
        assertThat(b.snapshot().count(EventStatus.ACCEPTED)).isPositive();
        assertThat(a.snapshot().count(EventStatus.ACCEPTED) + b.snapshot().count(EventStatus.ACCEPTED)).isEqualTo(total);

        // One instance leaves: the other takes over all partitions and goes on where the group left off.
        first.close();
        await("the second consumer owns every partition", () -> second.status().partitions().size() == 4);
        for (int i = total; i < total + 8; i++) send(upsert("g" + i, 1, "group document " + i + " about margayite"));
        awaitCaughtUp(second, total + 8);
        assertThat(documentsMatching(index, "margayite")).hasSize(total + 8);
        assertThat(index.info().chunks()).isEqualTo(total + 8);
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(String name, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(name, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) c.poll(Duration.ofMillis(200)).forEach(out::add);
            return out;
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
