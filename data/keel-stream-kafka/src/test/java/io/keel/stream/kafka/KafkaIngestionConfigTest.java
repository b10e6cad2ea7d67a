package io.keel.stream.kafka;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaIngestionConfigTest {
    @Test
    void readsEveryKeyWithDefaults() {
        KafkaIngestionConfig c = KafkaIngestionConfig.from(Map.of(
                "streaming.kafka.bootstrap_servers", "k1:9092,k2:9092",
                "streaming.kafka.topic", "kb-events",
                "streaming.kafka.collection", "kb"));

        assertThat(c.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.groupId()).isEqualTo("keel-kb");
        assertThat(c.deadLetterTopic()).isEqualTo("kb-events.dlq");
        assertThat(c.maxBatchRecords()).isEqualTo(KafkaIngestionConfig.DEFAULT_MAX_BATCH_RECORDS);
        assertThat(c.maxBatchLatency()).isEqualTo(KafkaIngestionConfig.DEFAULT_MAX_BATCH_LATENCY);
        assertThat(c.autoOffsetReset()).isEqualTo("earliest");
        assertThat(c.clientProperties()).isEmpty();
    }

    @Test
    void passesClientSettingsThrough() {
        KafkaIngestionConfig c = KafkaIngestionConfig.from(Map.of(
                "streaming.kafka.bootstrap_servers", "k1:9093",
                "streaming.kafka.topic", "t",
                "streaming.kafka.group_id", "search-eu",
                "streaming.kafka.max_batch_records", "64",
                "streaming.kafka.max_batch_latency_ms", 250,
                "streaming.kafka.client.security.protocol", "SASL_SSL",
                "streaming.kafka.client.sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(c.groupId()).isEqualTo("search-eu");
        assertThat(c.maxBatchRecords()).isEqualTo(64);
        assertThat(c.maxBatchLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.clientProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void errorsNameTheFullKey() {
        assertThatThrownBy(() -> KafkaIngestionConfig.from(Map.of("streaming.kafka.topic", "t")))
                .isInstanceOf(KeelException.class).hasMessageContaining("streaming.kafka.bootstrap_servers is required");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(Map.of("streaming.kafka.bootstrap_servers", "k:1")))
                .hasMessageContaining("streaming.kafka.topic is required");
        Map<String, Object> base = Map.of("streaming.kafka.bootstrap_servers", "k:1", "streaming.kafka.topic", "t");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.max_batch_records", "lots")))
                .hasMessageContaining("streaming.kafka.max_batch_records must be a whole number");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.max_batch_records", "0")))
                .hasMessageContaining("streaming.kafka.max_batch_records must be between 1 and 10000");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.topic", "bad topic")))
                .hasMessageContaining("streaming.kafka.topic must be a Kafka topic name");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.dead_letter_topic", "t")))
                .hasMessageContaining("streaming.kafka.dead_letter_topic must differ");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.auto_offset_reset", "none")))
                .hasMessageContaining("streaming.kafka.auto_offset_reset must be earliest or latest");
        assertThatThrownBy(() -> KafkaIngestionConfig.from(with(base, "streaming.kafka.client.enable.auto.commit", "true")))
                .hasMessageContaining("streaming.kafka.client.enable.auto.commit is set by Keel");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        var m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
