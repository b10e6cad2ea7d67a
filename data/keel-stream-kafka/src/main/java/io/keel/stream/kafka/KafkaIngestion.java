package io.keel.stream.kafka;

import io.keel.core.spi.CollectionIndex;
import io.keel.stream.AppliedBatch;
import io.keel.stream.DocumentEvent;
import io.keel.stream.EventApplier;
import io.keel.stream.EventFormats;
import io.keel.stream.EventOutcome;
import io.keel.stream.FreshnessTracker;
import io.keel.stream.IngestionSource;
import io.keel.stream.InvalidEventException;
import io.keel.stream.PartitionLag;
import io.keel.stream.SourceStatus;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes a topic of document events into one collection with an exactly-once <em>effect</em>.
 *
 * <p><b>Delivery.</b> Records are read in batches (up to {@link KafkaIngestionConfig#maxBatchRecords()}, or whatever
 * arrived until the oldest record is {@link KafkaIngestionConfig#maxBatchLatency()} old), applied by the
 * {@link EventApplier} with one index commit, and only then are their offsets committed with {@code commitSync}. A
 * crash between the two redelivers the batch, and the applier's version check turns the redelivery into no-ops:
 * delivery is at least once, the effect exactly once. Per-id order holds because producers key records by document
 * id (one id, one partition) and, across partitions or producers, because older versions never overwrite newer ones.
 *
 * <p><b>Poison records.</b> A record that is not a valid event, or that the applier rejects, goes to
 * {@link KafkaIngestionConfig#deadLetterTopic()} with its key, value and headers and the reason in
 * {@code keel.error.*} headers; its offset is committed and consumption goes on. A batch that fails as a whole
 * (embedder or index unavailable) is not committed: the consumer seeks back and retries with a growing pause.
 *
 * <p><b>Groups.</b> Instances with the same {@link KafkaIngestionConfig#groupId()} share the partitions. When
 * partitions are revoked, the records already received are applied and committed first, so the next owner starts
 * exactly after them.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; close applies and commits what was received, then
 * leaves the group. One platform thread per ingestion owns the Kafka clients; {@link #status()} is thread-safe.
 *
 * <p>Longer than most classes on purpose: the poll loop, the rebalance listener and the commit of applied offsets share
 * the consumer, which only its own thread may touch.
 */
public final class KafkaIngestion implements IngestionSource, AutoCloseable {
    /** Header names on dead-letter records. */
    public static final String HEADER_REASON = "keel.error.reason";
    public static final String HEADER_TOPIC = "keel.error.topic";
    public static final String HEADER_PARTITION = "keel.error.partition";
    public static final String HEADER_OFFSET = "keel.error.offset";
    public static final String HEADER_COLLECTION = "keel.error.collection";
    /** The record header that marks the value as a bare Protobuf message ({@link EventFormats#PROTOBUF_CONTENT_TYPES}). */
    public static final String CONTENT_TYPE = "content-type";

    private static final Logger LOG = Logger.getLogger(KafkaIngestion.class.getName());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration LAG_REFRESH = Duration.ofSeconds(1);

    private final KafkaIngestionConfig config;
    private final CollectionIndex index;
    private final EventApplier applier;
    private final FreshnessTracker freshness;
    private final String name;

    private final Object lifecycle = new Object();
    private Thread thread;
    private volatile boolean stopping;
    private volatile boolean running;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile List<PartitionLag> lag = List.of();

    // Owned by the ingestion thread.
    private final List<Received> pending = new ArrayList<>();
    /** When the pending records are applied at the latest (System.nanoTime), see {@link #deadline}. */
    private long pendingDeadlineNanos;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long nextLagRefreshNanos;
    private Duration backoff;

    /** A record and when it arrived. */
    private record Received(ConsumerRecord<byte[], byte[]> record, Instant receivedAt) {
    }

    /**
     * @param config    the topic, group and batching
     * @param index     the collection the events go to
     * @param applier   shared with every other source writing to the collection
     * @param freshness where every event's time to searchable is recorded
     */
    public KafkaIngestion(KafkaIngestionConfig config, CollectionIndex index, EventApplier applier, FreshnessTracker freshness) {
        this.config = Objects.requireNonNull(config, "config");
        this.index = Objects.requireNonNull(index, "index");
        this.applier = Objects.requireNonNull(applier, "applier");
        this.freshness = Objects.requireNonNull(freshness, "freshness");
        this.name = "kafka:" + config.topic();
        this.backoff = config.retryBackoff();
    }

    /**
     * Connects and starts consuming on a thread of its own. Returns at once; connection problems are retried and
     * reported by {@link #status()} and the freshness tracker's errors.
     *
     * @throws IllegalStateException when started twice
     */
    public void start() {
        synchronized (lifecycle) {
            if (thread != null) throw new IllegalStateException(name + " was already started");
            consumer = new KafkaConsumer<>(consumerProperties());
            thread = Thread.ofPlatform().name("keel-" + name + "-" + config.collection()).daemon(false).unstarted(this::run);
            running = true;
            thread.start();
        }
    }

    /**
     * Stops consuming: the records already received are applied and committed, then the consumer leaves its group
     * (its partitions move to the other instances). Waits up to a minute. Idempotent.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (lifecycle) {
            stopping = true;
            t = thread;
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) c.wakeup();
        }
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(TimeUnit.MINUTES.toMillis(1));
            if (t.isAlive()) LOG.warning(name + ": did not stop within a minute; the next owner redelivers its uncommitted records");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public SourceStatus status() {
        List<PartitionLag> l = lag;
        long backlog = 0;
        for (PartitionLag p : l) backlog += p.lag();
        return new SourceStatus(name, config.collection(), running, l, backlog);
    }

    public KafkaIngestionConfig config() {
        return config;
    }

    // ---- the ingestion thread -------------------------------------------------------------------------------------

    private void run() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        try (KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(producerProperties())) {
            c.subscribe(List.of(config.topic()), new Rebalance(c, deadLetters));
            while (!stopping) {
                try {
                    poll(c, deadLetters);
                } catch (WakeupException e) {
                    // close() asked us to stop
                } catch (RuntimeException e) {
                    failed(c, "consuming " + config.topic() + " failed: " + e, e);
                }
            }
            if (!pending.isEmpty()) {
                try {
                    flush(c, deadLetters);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": the last batch was not applied; it is redelivered on restart", e);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, name + ": stopped by an unexpected error", e);
            freshness.failed(name + " stopped: " + e);
        } finally {
            try {
                // Leaving the group at once hands the partitions to the other instances without a session timeout.
                c.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofSeconds(10)));
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, name + ": closing the consumer failed", e);
            }
            running = false;
            lag = List.of();
        }
    }

    private void poll(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> deadLetters) {
        Duration wait = POLL;
        if (!pending.isEmpty()) {
            long left = pendingDeadlineNanos - System.nanoTime();
            wait = Duration.ofNanos(Math.max(0, Math.min(left, POLL.toNanos())));
        }
        ConsumerRecords<byte[], byte[]> records = c.poll(wait);
        Instant now = Instant.now();
        long nowNanos = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long deadline = deadline(r, nowNanos, now.toEpochMilli());
            if (pending.isEmpty() || deadline - pendingDeadlineNanos < 0) pendingDeadlineNanos = deadline;
            pending.add(new Received(r, now));
        }
        boolean full = pending.size() >= config.maxBatchRecords();
        boolean due = !pending.isEmpty() && System.nanoTime() - pendingDeadlineNanos >= 0;
        if (full || due) {
            flush(c, deadLetters);
            backoff = config.retryBackoff();
        }
        refreshLag(c, false);
    }

    /**
     * When a record received at {@code nowNanos} must be applied: {@code max_batch_latency} after it was written, by
     * its timestamp, and no later than that after it arrived. Records that already waited — in the broker while the
     * previous batch was applied, or in a backlog — do not wait again, so under load batches follow each other
     * without a pause; a timestamp ahead of this clock counts as written now.
     */
    private long deadline(ConsumerRecord<byte[], byte[]> r, long nowNanos, long nowMillis) {
        long latency = config.maxBatchLatency().toNanos();
        long waitedMillis = r.timestamp() >= 0 ? Math.max(0, nowMillis - r.timestamp()) : 0;
        return nowNanos + latency - Math.min(TimeUnit.MILLISECONDS.toNanos(waitedMillis), latency);
    }

    /**
     * Applies the pending records with one index commit, sends the poison ones to the dead-letter topic, then
     * commits the offsets. Throws when any step fails; nothing is committed to Kafka then.
     */
    private void flush(KafkaConsumer<byte[], byte[]> c, KafkaProducer<byte[], byte[]> deadLetters) {
        List<DocumentEvent> events = new ArrayList<>();
        List<Received> applied = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int poison = 0;
        for (Received r : pending) {
            try {
                if (r.record().value() == null) {
                    throw new InvalidEventException("the record has no value; delete a document with {\"op\":\"delete\",...}");
                }
                events.add(EventFormats.parse(r.record().value(), header(r.record(), CONTENT_TYPE)));
                applied.add(r);
            } catch (InvalidEventException e) {
                sent.add(deadLetter(deadLetters, r.record(), e.getMessage()));
                poison++;
            }
        }
        AppliedBatch batch = applier.apply(index, events);
        List<Instant> started = new ArrayList<>(applied.size());
        for (int i = 0; i < applied.size(); i++) {
            EventOutcome outcome = batch.outcomes().get(i);
            if (outcome.rejected()) sent.add(deadLetter(deadLetters, applied.get(i).record(), outcome.reason()));
            started.add(startedAt(events.get(i), applied.get(i)));
        }
        awaitDeadLetters(deadLetters, sent);
        // Searchable since the index commit: freshness ends there, before the offset commit (which may block).
        freshness.record(batch, started);
        for (int i = 0; i < poison; i++) freshness.rejected();
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(pending);
        try {
            c.commitSync(offsets);
            offsets.forEach((tp, om) -> committed.put(tp, om.offset()));
        } catch (CommitFailedException e) {
            // The group moved the partitions on; the new owner redelivers these records and the applier skips them.
            LOG.log(Level.INFO, name + ": offsets not committed after a rebalance; the records are redelivered as no-ops", e);
        }
        pending.clear();
    }

    /** The event's own time, else the record's creation time, else when it arrived. */
    private static Instant startedAt(DocumentEvent event, Received r) {
        if (event.eventTime() != null) return event.eventTime();
        if (r.record().timestampType() == TimestampType.CREATE_TIME && r.record().timestamp() >= 0) {
            return Instant.ofEpochMilli(r.record().timestamp());
        }
        return r.receivedAt();
    }

    /** The last value of header {@code name} (matched without regard to case) as UTF-8; null when there is none. */
    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        String value = null;
        for (Header h : record.headers()) {
            if (h.key().equalsIgnoreCase(name) && h.value() != null) value = new String(h.value(), StandardCharsets.UTF_8);
        }
        return value;
    }

    private Future<RecordMetadata> deadLetter(KafkaProducer<byte[], byte[]> producer, ConsumerRecord<byte[], byte[]> r, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : r.headers()) headers.add(h);
        headers.add(HEADER_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_TOPIC, r.topic().getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_PARTITION, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_OFFSET, Long.toString(r.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_COLLECTION, config.collection().getBytes(StandardCharsets.UTF_8));
        return producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, r.key(), r.value(), headers));
    }

    private void awaitDeadLetters(KafkaProducer<byte[], byte[]> producer, List<Future<RecordMetadata>> sent) {
        if (sent.isEmpty()) return;
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("the dead-letter topic " + config.deadLetterTopic() + " did not take a record: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing to the dead-letter topic", e);
            }
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(List<Received> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Received r : records) {
            TopicPartition tp = new TopicPartition(r.record().topic(), r.record().partition());
            long next = r.record().offset() + 1;
            OffsetAndMetadata current = offsets.get(tp);
            if (current == null || current.offset() < next) offsets.put(tp, new OffsetAndMetadata(next));
        }
        return offsets;
    }

    /** A failed batch: rewind to its first records, so they are read again, and pause before retrying. */
    private void failed(KafkaConsumer<byte[], byte[]> c, String message, Exception e) {
        LOG.log(Level.WARNING, name + ": " + message + "; retrying in " + backoff.toMillis() + " ms", e);
        freshness.failed(name + ": " + message);
        rewind(c, pending);
        pending.clear();
        sleep(backoff);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(KafkaIngestionConfig.MAX_BACKOFF) > 0 ? KafkaIngestionConfig.MAX_BACKOFF : doubled;
    }

    private static void rewind(KafkaConsumer<byte[], byte[]> c, List<Received> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Received r : records) first.merge(new TopicPartition(r.record().topic(), r.record().partition()), r.record().offset(), Math::min);
        var assigned = c.assignment();
        first.forEach((tp, offset) -> {
            if (assigned.contains(tp)) c.seek(tp, offset);
        });
    }

    private void sleep(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (!stopping && System.nanoTime() < until) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** End offsets against committed ones for the assigned partitions, at most once a second. */
    private void refreshLag(KafkaConsumer<byte[], byte[]> c, boolean force) {
        long now = System.nanoTime();
        if (!force && now - nextLagRefreshNanos < 0) return;
        nextLagRefreshNanos = now + LAG_REFRESH.toNanos();
        var assigned = c.assignment();
        if (assigned.isEmpty()) {
            lag = List.of();
            return;
        }
        Map<TopicPartition, Long> ends;
        try {
            ends = c.endOffsets(assigned, Duration.ofSeconds(5));
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // Lag is for reporting only: a broker that does not answer now is retried at the next refresh.
            LOG.log(Level.FINE, name + ": reading end offsets failed", e);
            return;
        }
        List<PartitionLag> out = new ArrayList<>();
        for (TopicPartition tp : assigned) {
            long end = ends.getOrDefault(tp, 0L);
            long done = committed.getOrDefault(tp, end);
            out.add(new PartitionLag(tp.topic(), tp.partition(), done, end));
        }
        out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        lag = List.copyOf(out);
    }

    /** Flushes before partitions move away; learns the committed offsets of partitions it receives. */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> deadLetters;

        Rebalance(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> deadLetters) {
            this.consumer = consumer;
            this.deadLetters = deadLetters;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!pending.isEmpty()) {
                try {
                    flush(consumer, deadLetters);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, name + ": could not apply the records of revoked partitions; their next owner will", e);
                    freshness.failed(name + ": batch before a rebalance failed: " + e);
                    rewind(consumer, pending);
                    pending.clear();
                }
            }
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Their offsets can no longer be committed: drop what was received, the next owner redelivers it.
            pending.removeIf(r -> partitions.contains(new TopicPartition(r.record().topic(), r.record().partition())));
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            Map<TopicPartition, OffsetAndMetadata> known = consumer.committed(new java.util.HashSet<>(partitions), Duration.ofSeconds(10));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata om = known.get(tp);
                committed.put(tp, om != null ? om.offset() : consumer.position(tp, Duration.ofSeconds(10)));
            }
            nextLagRefreshNanos = System.nanoTime();
        }
    }

    // ---- client settings ------------------------------------------------------------------------------------------

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.putAll(config.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "keel-" + config.collection() + "-" + ProcessHandle.current().pid());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.maxBatchRecords()));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private Properties producerProperties() {
        Properties p = new Properties();
        config.clientProperties().forEach((k, v) -> {
            if (!k.startsWith("group.") && !k.startsWith("session.") && !k.startsWith("heartbeat.")
                    && !k.startsWith("fetch.") && !k.startsWith("max.poll.") && !k.equals("client.id")
                    && !k.equals("partition.assignment.strategy") && !k.equals("group.protocol")) {
                p.put(k, v);
            }
        });
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "keel-" + config.collection() + "-dlq-" + ProcessHandle.current().pid());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }
}
