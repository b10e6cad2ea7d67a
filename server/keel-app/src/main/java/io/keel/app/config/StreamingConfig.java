package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.stream.ContentConfig;
import io.keel.stream.TombstoneRetention;
import io.keel.stream.PushConfig;
import io.keel.stream.kafka.KafkaIngestionConfig;

/**
 * Streaming document updates ({@code streaming:} in keel.yaml), each group read by its component.
 *
 * @param kafka the Kafka source, or null when {@code streaming.kafka} is not configured
 */
public record StreamingConfig(ContentConfig content, PushConfig push, TombstoneRetention tombstones,
                              KafkaIngestionConfig kafka) {
    public static final StreamingConfig DEFAULTS = new StreamingConfig(ContentConfig.DEFAULTS, PushConfig.DEFAULTS,
            TombstoneRetention.DEFAULTS, null);

    static StreamingConfig from(ConfigNode node) {
        ConfigNode kafka = node.child("kafka");
        return new StreamingConfig(
                ContentConfig.from(node.child("content")),
                PushConfig.from(node.child("http")),
                TombstoneRetention.from(node.child("tombstones")),
                kafka.has("bootstrap_servers") || !kafka.keys().isEmpty() ? KafkaIngestionConfig.from(kafka) : null);
    }
}
