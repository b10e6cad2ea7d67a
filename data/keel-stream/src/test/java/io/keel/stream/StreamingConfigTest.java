package io.keel.stream;

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

    @Test
    void contentSourcesAreOffUnlessConfigured() {
        assertThat(ContentConfig.from(Map.of())).isEqualTo(ContentConfig.DEFAULTS);
        assertThat(ContentConfig.DEFAULTS.allowedPaths()).isEmpty();
        assertThat(ContentConfig.DEFAULTS.fetchUrls()).isFalse();

        ContentConfig c = ContentConfig.from(Map.of(
                "streaming.content.allowed_paths", List.of(dir.toString()),
                "streaming.content.fetch_urls", "true",
                "streaming.content.fetch_timeout_ms", 2500,
                "streaming.content.max_bytes", "1000"));
        assertThat(c.allowedPaths()).containsExactly(dir.toAbsolutePath().normalize());
        assertThat(c.fetchUrls()).isTrue();
        assertThat(c.fetchTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.maxBytes()).isEqualTo(1000);
    }

    @Test
    void contentErrorsNameTheFullKey() {
        assertThatThrownBy(() -> ContentConfig.from(Map.of("streaming.content.allowed_paths", dir.resolve("missing").toString())))
                .isInstanceOf(KeelException.class).hasMessageContaining("streaming.content.allowed_paths", "not an existing directory");
        assertThatThrownBy(() -> ContentConfig.from(Map.of("streaming.content.fetch_urls", "yes")))
                .hasMessageContaining("streaming.content.fetch_urls must be true or false");
        assertThatThrownBy(() -> ContentConfig.from(Map.of("streaming.content.max_bytes", "0")))
                .hasMessageContaining("streaming.content.max_bytes must be between 1");
    }

    @Test
    void tombstonesAreKeptAWeekByDefaultAndForeverAtZero() {
        assertThat(TombstoneRetention.from(Map.of())).isEqualTo(TombstoneRetention.DEFAULTS);
        assertThat(TombstoneRetention.DEFAULTS.retention()).isEqualTo(java.time.Duration.ofDays(7));
        TombstoneRetention r = TombstoneRetention.from(Map.of("streaming.tombstones.retention_hours", "0",
                "streaming.tombstones.purge_interval_minutes", 5));
        assertThat(r.keepsForever()).isTrue();
        assertThat(r.purgeInterval()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThatThrownBy(() -> TombstoneRetention.from(Map.of("streaming.tombstones.retention_hours", "-1")))
                .isInstanceOf(KeelException.class).hasMessageContaining("streaming.tombstones.retention_hours");
        assertThatThrownBy(() -> TombstoneRetention.from(Map.of("streaming.tombstones.purge_interval_minutes", "soon")))
                .isInstanceOf(KeelException.class).hasMessageContaining("streaming.tombstones.purge_interval_minutes", "whole number");
    }

    @Test
    void pushLimitsHaveDefaultsAndNamedErrors() {
        assertThat(PushConfig.from(Map.of())).isEqualTo(PushConfig.DEFAULTS);
        PushConfig c = PushConfig.from(Map.of("streaming.http.batch_size", "8", "streaming.http.default_collection", "kb"));
        assertThat(c.batchSize()).isEqualTo(8);
        assertThat(c.defaultCollection()).isEqualTo("kb");
        assertThatThrownBy(() -> PushConfig.from(Map.of("streaming.http.max_events", "-1")))
                .hasMessageContaining("streaming.http.max_events must be between 1");
    }
}
