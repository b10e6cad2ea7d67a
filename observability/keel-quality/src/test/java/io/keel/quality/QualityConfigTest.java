package io.keel.quality;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QualityConfigTest {
    @Test
    void defaultsAreValidAndDocumented() {
        QualityConfig c = QualityConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.weakHitCosine()).isEqualTo(0.30);
        assertThat(c.weakHitTermCoverage()).isEqualTo(0.25);
        assertThat(c.supportOverlap()).isEqualTo(0.70);
        assertThat(c.supportCosine()).isEqualTo(0.65);
        assertThat(c.driftHalfLife()).isEqualTo(100);
        assertThat(c.driftAlertThreshold()).isEqualTo(0.60);
        assertThat(c.driftMinQueries()).isEqualTo(20);
    }

    @Test
    void rejectsOutOfRangeValuesNamingTheKey() {
        QualityConfig d = QualityConfig.defaults();
        assertThatThrownBy(() -> d.withSupport(1.5, 0.6)).isInstanceOf(KeelException.class).hasMessageContaining("quality.support_overlap");
        assertThatThrownBy(() -> d.withSupport(0.7, -2)).isInstanceOf(KeelException.class).hasMessageContaining("quality.support_cosine");
        assertThatThrownBy(() -> d.withDrift(0, 0.5, 20)).isInstanceOf(KeelException.class).hasMessageContaining("quality.drift.half_life");
        assertThatThrownBy(() -> d.withDrift(100, 0, 20)).isInstanceOf(KeelException.class).hasMessageContaining("quality.drift.alert_threshold");
        assertThatThrownBy(() -> d.withDrift(100, Double.NaN, 20)).isInstanceOf(KeelException.class);
        assertThatThrownBy(() -> d.withDrift(100, 0.5, 0)).isInstanceOf(KeelException.class).hasMessageContaining("quality.drift.min_queries");
        assertThatThrownBy(() -> new QualityConfig(true, 0.3, 0.25, 0.7, 0.65, -1, 100, 0.6, 20))
                .isInstanceOf(KeelException.class).hasMessageContaining("quality.context_cache_size");
        assertThatThrownBy(() -> new QualityConfig(true, 1.2, 0.25, 0.7, 0.65, 0, 100, 0.6, 20))
                .isInstanceOf(KeelException.class).hasMessageContaining("quality.weak_hit_cosine");
        assertThatThrownBy(() -> new QualityConfig(true, 0.3, -0.1, 0.7, 0.65, 0, 100, 0.6, 20))
                .isInstanceOf(KeelException.class).hasMessageContaining("quality.weak_hit_term_coverage");
    }
}
