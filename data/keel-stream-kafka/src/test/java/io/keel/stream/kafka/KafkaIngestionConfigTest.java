package io.keel.stream.kafka;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaIngestionConfigTest {
    private static KafkaIngestionConfig read(Map<String, Object> kafka) {
        return read(kafka, Map.of());
    }

    private static KafkaIngestionConfig read(Map<String, Object> kafka, Map<String, String> env) {
        ConfigNode root = ConfigNode.root(Map.of("streaming", Map.of("kafka", kafka)), env);
        KafkaIngestionConfig c = KafkaIngestionConfig.from(root.child("streaming").child("kafka"));
        root.rejectUnknownKeys();
        return c;
    }

    @Test
    void readsEveryKeyWithDefaults() {
        KafkaIngestionConfig c = read(Map.of("bootstrap_servers", "k1:9092,k2:9092", "topic", "kb-events", "collection", "kb"));

        assertThat(c.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.groupId()).isEqualTo("keel-kb");
        assertThat(c.deadLetterTopic()).isEqualTo("kb-events.dlq");
        assertThat(c.maxBatchRecords()).isEqualTo(KafkaIngestionConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(c.maxBatchLatency()).isEqualTo(KafkaIngestionConfig.DEFAULT_MAX_BATCH_LATENCY);
        assertThat(c.retryBackoff()).isEqualTo(KafkaIngestionConfig.DEFAULT_RETRY_BACKOFF);
        assertThat(c.autoOffsetReset()).isEqualTo("earliest");
        assertThat(c.clientProperties()).isEmpty();
    }

    @Test
    void passesClientSettingsThroughAndTakesEnvironmentOverrides() {
        KafkaIngestionConfig c = read(Map.of(
                "topic", "t",
                "group_id", "search-eu",
                "max_batch_records", "64",
                "max_batch_latency", "250ms",
                "retry_backoff", "2s",
                "client", Map.of("security.protocol", "SASL_SSL", "sasl", Map.of("mechanism", "SCRAM-SHA-512"))),
                Map.of("KEEL_STREAMING_KAFKA_BOOTSTRAP_SERVERS", "k1:9093"));

        assertThat(c.bootstrapServers()).isEqualTo("k1:9093");
        assertThat(c.groupId()).isEqualTo("search-eu");
        assertThat(c.maxBatchRecords()).isEqualTo(64);
        assertThat(c.maxBatchLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.retryBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.clientProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void errorsNameTheFullKey() {
        assertThatThrownBy(() -> read(Map.of("topic", "t")))
                .isInstanceOf(KeelException.class).hasMessageContaining("'streaming.kafka.bootstrap_servers' is required: the Kafka brokers")
                .hasMessageContaining("KEEL_STREAMING_KAFKA_BOOTSTRAP_SERVERS");
        assertThatThrownBy(() -> read(Map.of("bootstrap_servers", "k:1")))
                .hasMessageContaining("'streaming.kafka.topic' is required");
        Map<String, Object> base = Map.of("bootstrap_servers", "k:1", "topic", "t");
        assertThatThrownBy(() -> read(with(base, "max_batch_records", "lots")))
                .hasMessageContaining("'streaming.kafka.max_batch_records' must be a whole number");
        assertThatThrownBy(() -> read(with(base, "max_batch_records", "0")))
                .hasMessageContaining("'streaming.kafka.max_batch_records' must be between 1 and 10000");
        assertThatThrownBy(() -> read(with(base, "max_batch_latency", "2m")))
                .hasMessageContaining("'streaming.kafka.max_batch_latency' must be between 0s and 1m");
        assertThatThrownBy(() -> read(with(base, "max_batch_latency_ms", 250)))
                .hasMessageContaining("'streaming.kafka.max_batch_latency_ms' was replaced by 'max_batch_latency: 50ms'");
        assertThatThrownBy(() -> read(with(base, "topic", "bad topic")))
                .hasMessageContaining("streaming.kafka.topic must be a Kafka topic name");
        assertThatThrownBy(() -> read(with(base, "dead_letter_topic", "t")))
                .hasMessageContaining("streaming.kafka.dead_letter_topic must differ");
        assertThatThrownBy(() -> read(with(base, "auto_offset_reset", "none")))
                .hasMessageContaining("'streaming.kafka.auto_offset_reset' must be one of earliest, latest; got 'none'");
        assertThatThrownBy(() -> read(with(base, "client", Map.of("enable.auto.commit", "true"))))
                .hasMessageContaining("streaming.kafka.client.enable.auto.commit is set by Keel");
        assertThatThrownBy(() -> read(with(base, "gruop_id", "g")))
                .hasMessageContaining("unknown configuration key 'streaming.kafka.gruop_id' (did you mean 'group_id'?)");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
