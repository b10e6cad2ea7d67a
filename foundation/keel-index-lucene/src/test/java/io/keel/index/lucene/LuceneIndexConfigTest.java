package io.keel.index.lucene;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Backends;
import io.keel.core.spi.IndexStoreFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneIndexConfigTest {
    @Test
    void defaults() {
        LuceneIndexConfig c = LuceneIndexConfig.from(Map.of());
        assertThat(c).isEqualTo(LuceneIndexConfig.DEFAULTS);
        assertThat(c.quantization()).isEqualTo(LuceneIndexConfig.Quantization.NONE);
        assertThat(c.hnswM()).isEqualTo(16);
        assertThat(c.hnswBeamWidth()).isEqualTo(100);
        assertThat(c.denseCandidates()).isEqualTo(100);
        assertThat(c.rrfK()).isEqualTo(60);
        assertThat(c.denseWeight()).isEqualTo(1f);
        assertThat(c.bm25Weight()).isEqualTo(1f);
    }

    @Test
    void readsNestedKeys() {
        LuceneIndexConfig c = LuceneIndexConfig.from(Map.of(
                "quantization", "INT8",
                "hnsw", Map.of("m", 32, "beam_width", "200"),
                "hybrid", Map.of("rrf_k", 10, "dense_weight", 0.7, "bm25_weight", 0.3),
                "bm25", Map.of("k1", 1.2, "b", 0.75, "candidates", 50),
                "ram_buffer_mb", 128,
                "merge_threads", 2,
                "refresh_interval", "250ms"));
        assertThat(c.quantization()).isEqualTo(LuceneIndexConfig.Quantization.INT8);
        assertThat(c.hnswM()).isEqualTo(32);
        assertThat(c.hnswBeamWidth()).isEqualTo(200);
        assertThat(c.rrfK()).isEqualTo(10);
        assertThat(c.denseWeight()).isEqualTo(0.7f);
        assertThat(c.bm25Weight()).isEqualTo(0.3f);
        assertThat(c.bm25K1()).isEqualTo(1.2f);
        assertThat(c.bm25B()).isEqualTo(0.75f);
        assertThat(c.bm25Candidates()).isEqualTo(50);
        assertThat(c.ramBufferMb()).isEqualTo(128);
        assertThat(c.mergeThreads()).isEqualTo(2);
        assertThat(c.refreshInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(LuceneIndexConfig.from(Map.of("refresh_interval", "PT2S")).refreshInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsTheSectionThroughConfigNodeWithEnvironmentOverrides() {
        ConfigNode root = ConfigNode.root(Map.of("index", Map.of("hnsw", Map.of("m", 24))),
                Map.of("KEEL_INDEX_HYBRID_RRF_K", "15"));
        LuceneIndexConfig c = LuceneIndexConfig.from(root.child("index"));
        assertThat(c.hnswM()).isEqualTo(24);
        assertThat(c.rrfK()).isEqualTo(15);
        assertThat(root.rootState().unknownKeys()).isEmpty();
    }

    @Test
    void theFactoryIsFoundByName() {
        IndexStoreFactory f = Backends.find(IndexStoreFactory.class, "lucene", "index.backend");
        assertThat(f).isInstanceOf(LuceneIndexStoreFactory.class);
        ConfigNode root = ConfigNode.root(Map.of("index", Map.of("hnsw", Map.of("m", 1))), Map.of());
        assertThatThrownBy(() -> f.validate(root.child("index"))).hasMessageContaining("'index.hnsw.m' must be between 2 and 512");
        assertThatThrownBy(() -> Backends.find(IndexStoreFactory.class, "elastic", "index.backend"))
                .isInstanceOf(KeelException.class).hasMessageContaining("index.backend").hasMessageContaining("available: [lucene]");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("quantization", "int4")))
                .isInstanceOf(KeelException.class).hasMessageContaining("index.quantization");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("hnsw", Map.of("m", 1))))
                .hasMessageContaining("index.hnsw.m");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("hnsw", Map.of("m", 16.5))))
                .hasMessageContaining("'index.hnsw.m' must be a whole number; got '16.5'");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("dense", Map.of("candidates", "many"))))
                .hasMessageContaining("'index.dense.candidates' must be a whole number; got 'many'")
                .hasMessageContaining("KEEL_INDEX_DENSE_CANDIDATES");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("hybrid", Map.of("dense_weight", 0, "bm25_weight", 0))))
                .hasMessageContaining("must not both be 0");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("refresh_interval", "soon")))
                .hasMessageContaining("index.refresh_interval");
        assertThatThrownBy(() -> LuceneIndexConfig.from(Map.of("hnsw", Map.of("ef", 10))))
                .hasMessageContaining("unknown key index.hnsw.ef;").hasMessageContaining("index.hnsw.beam_width");
    }
}
