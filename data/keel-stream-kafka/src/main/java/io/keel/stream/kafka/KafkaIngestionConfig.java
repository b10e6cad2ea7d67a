package io.keel.stream.kafka;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Kafka ingestion: a topic of {@link io.keel.stream.DocumentEvent}s consumed into one collection.
 *
 * @param bootstrapServers  {@code host:port[,host:port...]} of the cluster
 * @param topic             the topic of document events; records are keyed by document id so one id stays in one
 *                          partition, in order
 * @param collection        the collection the events go to
 * @param groupId           the consumer group; every Keel instance with the same group shares the partitions
 * @param deadLetterTopic   where records that cannot be applied go, with the reason in headers
 * @param maxBatchRecords   most records applied (and committed) together; also {@code max.poll.records}
 * @param maxBatchLatency   longest a record waits for its batch to fill before the batch is applied anyway, counted from
 *                          the record's timestamp (a record that already waited that long in the broker does not wait)
 * @param retryBackoff      first pause after a failed batch; doubles up to {@link #MAX_BACKOFF}
 * @param autoOffsetReset   where a new group starts: {@code earliest} (every event in the topic) or {@code latest}
 * @param clientProperties  further Kafka client settings for the consumer and the dead-letter producer (security,
 *                          SASL, timeouts), from {@code streaming.kafka.client.*}
 */
public record KafkaIngestionConfig(String bootstrapServers, String topic, String collection, String groupId,
                                   String deadLetterTopic, int maxBatchRecords, Duration maxBatchLatency,
                                   Duration retryBackoff, String autoOffsetReset, Map<String, String> clientProperties) {
    public static final String PREFIX = "streaming.kafka.";
    public static final String CLIENT_PREFIX = PREFIX + "client.";
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_BATCH_RECORDS = 256;
    public static final Duration DEFAULT_MAX_BATCH_LATENCY = Duration.ofMillis(50);
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofSeconds(1);

    /** Client settings Keel owns: overriding them would break the delivery guarantees. */
    static final Set<String> RESERVED = Set.of("enable.auto.commit", "group.id", "key.deserializer", "value.deserializer",
            "key.serializer", "value.serializer", "max.poll.records", "auto.offset.reset", "isolation.level");
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public KafkaIngestionConfig {
        requireText(bootstrapServers, "bootstrap_servers");
        requireTopic(topic, "topic");
        requireText(collection, "collection");
        requireText(groupId, "group_id");
        requireTopic(deadLetterTopic, "dead_letter_topic");
        if (deadLetterTopic.equals(topic)) throw KeelException.invalid(PREFIX + "dead_letter_topic must differ from " + PREFIX + "topic");
        if (maxBatchRecords < 1) throw KeelException.invalid(PREFIX + "max_batch_records must be >= 1; got " + maxBatchRecords);
        Objects.requireNonNull(maxBatchLatency, "maxBatchLatency");
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (!autoOffsetReset.equals("earliest") && !autoOffsetReset.equals("latest")) {
            throw KeelException.invalid(PREFIX + "auto_offset_reset must be earliest or latest; got '" + autoOffsetReset + "'");
        }
        clientProperties = Map.copyOf(clientProperties);
        for (String key : clientProperties.keySet()) {
            if (RESERVED.contains(key)) {
                throw KeelException.invalid(CLIENT_PREFIX + key + " is set by Keel and cannot be overridden (offsets are "
                        + "committed only after the index commit)");
            }
        }
    }

    /** Defaults for everything but the cluster and the topic. */
    public static KafkaIngestionConfig of(String bootstrapServers, String topic, String collection) {
        return new KafkaIngestionConfig(bootstrapServers, topic, collection, "keel-" + collection, topic + ".dlq",
                DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_BATCH_LATENCY, DEFAULT_RETRY_BACKOFF, "earliest", Map.of());
    }

    /**
     * Reads the {@code streaming.kafka} section: {@code bootstrap_servers} and {@code topic} (required),
     * {@code collection} (default {@code default}), {@code group_id} (default {@code keel-<collection>}),
     * {@code dead_letter_topic} (default {@code <topic>.dlq}), {@code max_batch_records} (256),
     * {@code max_batch_latency} (50ms), {@code retry_backoff} (1s), {@code auto_offset_reset} ({@code earliest}),
     * and the {@code client} section passed to the Kafka clients.
     *
     * @throws KeelException naming the full key of the first missing or invalid value
     */
    public static KafkaIngestionConfig from(ConfigNode node) {
        node.replaced("max_batch_latency_ms", "max_batch_latency: 50ms");
        node.replaced("retry_backoff_ms", "retry_backoff: 1s");
        String bootstrap = node.requiredString("bootstrap_servers", "the Kafka brokers, e.g. kafka-1:9092,kafka-2:9092");
        String topic = node.requiredString("topic", "the topic of document events");
        String collection = node.string("collection", "default");
        return new KafkaIngestionConfig(bootstrap, topic, collection,
                node.string("group_id", "keel-" + collection),
                node.string("dead_letter_topic", topic + ".dlq"),
                node.integer("max_batch_records", DEFAULT_MAX_BATCH_RECORDS, 1, 10_000),
                node.duration("max_batch_latency", DEFAULT_MAX_BATCH_LATENCY, Duration.ZERO, Duration.ofMinutes(1)),
                node.duration("retry_backoff", DEFAULT_RETRY_BACKOFF, Duration.ofMillis(1), MAX_BACKOFF),
                node.choice("auto_offset_reset", "earliest", "earliest", "latest"),
                node.properties("client"));
    }

    public KafkaIngestionConfig withGroupId(String group) {
        return new KafkaIngestionConfig(bootstrapServers, topic, collection, group, deadLetterTopic, maxBatchRecords,
                maxBatchLatency, retryBackoff, autoOffsetReset, clientProperties);
    }

    public KafkaIngestionConfig withBatching(int records, Duration latency) {
        return new KafkaIngestionConfig(bootstrapServers, topic, collection, groupId, deadLetterTopic, records, latency,
                retryBackoff, autoOffsetReset, clientProperties);
    }

    public KafkaIngestionConfig withRetryBackoff(Duration backoff) {
        return new KafkaIngestionConfig(bootstrapServers, topic, collection, groupId, deadLetterTopic, maxBatchRecords,
                maxBatchLatency, backoff, autoOffsetReset, clientProperties);
    }

    public KafkaIngestionConfig withClientProperties(Map<String, String> properties) {
        return new KafkaIngestionConfig(bootstrapServers, topic, collection, groupId, deadLetterTopic, maxBatchRecords,
                maxBatchLatency, retryBackoff, autoOffsetReset, properties);
    }

    private static void requireText(String value, String key) {
        if (value == null || value.isBlank()) throw KeelException.invalid(PREFIX + key + " must not be empty");
    }

    private static void requireTopic(String value, String key) {
        requireText(value, key);
        if (!TOPIC.matcher(value).matches()) {
            throw KeelException.invalid(PREFIX + key + " must be a Kafka topic name (letters, digits, '.', '_', '-'); got '" + value + "'");
        }
    }
}
