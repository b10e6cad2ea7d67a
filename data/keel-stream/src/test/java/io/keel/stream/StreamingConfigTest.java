package io.keel.stream;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.stream.PushConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingConfigTest {
    @TempDir
    Path dir;

    /** The {@code streaming.<group>} section of a keel.yaml holding {@code values} there. */
    static ConfigNode section(String group, Map<String, Object> values) {
        return ConfigNode.root(Map.of("streaming", Map.of(group, values)), Map.of()).child("streaming").child(group);
    }

    @Test
    void contentSourcesAreOffUnlessConfigured() {
        assertThat(ContentConfig.from(section("content", Map.of()))).isEqualTo(ContentConfig.DEFAULTS);
        assertThat(ContentConfig.DEFAULTS.allowedPaths()).isEmpty();
        assertThat(ContentConfig.DEFAULTS.fetchUrls()).isFalse();

        ContentConfig c = ContentConfig.from(section("content", Map.of(
                "allowed_paths", List.of(dir.toString()),
                "fetch_urls", "true",
                "fetch_timeout", "2500ms",
                "max_bytes", "1000")));
        assertThat(c.allowedPaths()).containsExactly(dir.toAbsolutePath().normalize());
        assertThat(c.fetchUrls()).isTrue();
        assertThat(c.fetchTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.maxBytes()).isEqualTo(1000);
    }

    @Test
    void contentErrorsNameTheFullKey() {
        assertThatThrownBy(() -> ContentConfig.from(section("content", Map.of("allowed_paths", dir.resolve("missing").toString()))))
                .isInstanceOf(KeelException.class).hasMessageContaining("'streaming.content.allowed_paths'", "not an existing directory");
        assertThatThrownBy(() -> ContentConfig.from(section("content", Map.of("fetch_urls", "maybe"))))
                .hasMessageContaining("'streaming.content.fetch_urls' must be true or false");
        assertThatThrownBy(() -> ContentConfig.from(section("content", Map.of("max_bytes", "0"))))
                .hasMessageContaining("'streaming.content.max_bytes' must be between 1");
        assertThatThrownBy(() -> ContentConfig.from(section("content", Map.of("fetch_timeout", "0s"))))
                .hasMessageContaining("'streaming.content.fetch_timeout' must be between 0.001s and 10m");
        assertThatThrownBy(() -> ContentConfig.from(section("content", Map.of("fetch_timeout_ms", 2500))))
                .hasMessageContaining("'streaming.content.fetch_timeout_ms' was replaced by 'fetch_timeout: 10s'");
    }

    @Test
    void tombstonesAreKeptAWeekByDefaultAndForeverAtZero() {
        assertThat(TombstoneRetention.from(section("tombstones", Map.of()))).isEqualTo(TombstoneRetention.DEFAULTS);
        assertThat(TombstoneRetention.DEFAULTS.retention()).isEqualTo(Duration.ofDays(7));
        TombstoneRetention r = TombstoneRetention.from(section("tombstones", Map.of("retention", "0s", "purge_interval", "5m")));
        assertThat(r.keepsForever()).isTrue();
        assertThat(r.purgeInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(TombstoneRetention.from(section("tombstones", Map.of("retention", "30d"))).retention()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> TombstoneRetention.from(section("tombstones", Map.of("retention", "-1h"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("'streaming.tombstones.retention' must be between 0s");
        assertThatThrownBy(() -> TombstoneRetention.from(section("tombstones", Map.of("purge_interval", "soon"))))
                .isInstanceOf(KeelException.class).hasMessageContaining("'streaming.tombstones.purge_interval' must be a duration");
        assertThatThrownBy(() -> TombstoneRetention.from(section("tombstones", Map.of("retention_hours", 0))))
                .hasMessageContaining("'streaming.tombstones.retention_hours' was replaced by 'retention: 7d'");
    }

    @Test
    void pushLimitsHaveDefaultsAndNamedErrors() {
        assertThat(PushConfig.from(section("http", Map.of()))).isEqualTo(PushConfig.DEFAULTS);
        PushConfig c = PushConfig.from(section("http", Map.of("batch_size", "8", "default_collection", "kb")));
        assertThat(c.batchSize()).isEqualTo(8);
        assertThat(c.defaultCollection()).isEqualTo("kb");
        assertThatThrownBy(() -> PushConfig.from(section("http", Map.of("max_events", "-1"))))
                .hasMessageContaining("'streaming.http.max_events' must be between 1");
    }
}
