package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.query.RetrievalMode;
import io.keel.index.lucene.LuceneIndexConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeelConfigTest {

    @Test
    void noConfigurationMeansEmbeddedDefaults() {
        KeelConfig c = KeelConfig.defaults();
        assertThat(c.dataDir()).isEqualTo(Path.of("keel-data"));
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.embedding().model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(c.index().backend()).isEqualTo("lucene");
        assertThat(LuceneIndexConfig.from(c.index().section())).isEqualTo(LuceneIndexConfig.DEFAULTS);
        assertThat(c.retrieval().defaultMode()).isEqualTo(RetrievalMode.HYBRID);
        assertThat(c.generator().model()).isNull();
        assertThat(c.guard().enabled()).isTrue();
        assertThat(c.requestLogEnabled()).isTrue();
    }

    @Test
    void readsYamlAndEnvironmentOverridesWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, """
                data_dir: /srv/keel
                server:
                  port: 9000
                index:
                  quantization: int8
                  hybrid:
                    rrf_k: 30
                ingest:
                  commit_every: 2m
                """);
        KeelConfig c = KeelConfig.fromTree(KeelConfig.readYaml(file), Map.of("KEEL_SERVER_PORT", "9100", "KEEL_RETRIEVAL_MODE", "bm25"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/srv/keel"));
        assertThat(c.server().port()).isEqualTo(9100);
        assertThat(c.retrieval().defaultMode()).isEqualTo(RetrievalMode.BM25);
        LuceneIndexConfig index = LuceneIndexConfig.from(c.index().section());
        assertThat(index.quantization()).isEqualTo(LuceneIndexConfig.Quantization.INT8);
        assertThat(index.rrfK()).isEqualTo(30);
        assertThat(c.ingest().options().commitInterval()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theIndexBackendIsChosenByNameAndChecksItsOwnKeys() {
        assertThat(KeelConfig.fromTree(Map.of("index", Map.of("backend", "lucene")), Map.of()).index().factory())
                .isInstanceOf(io.keel.index.lucene.LuceneIndexStoreFactory.class);
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of(), Map.of("KEEL_INDEX_BACKEND", "pgvector")))
                .hasMessageContaining("configuration key 'index.backend' names 'pgvector'")
                .hasMessageContaining("available: [lucene]");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("index", Map.of("hnsw", Map.of("m", 0))), Map.of()))
                .hasMessageContaining("'index.hnsw.m' must be between 2 and 512");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("index", Map.of("hnsw", Map.of("ef", 10))), Map.of()))
                .hasMessageContaining("index.hnsw.ef");
    }

    @Test
    void aBadValueNamesTheKeyAndTheVariable() {
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("server", Map.of("port", "eighty")), Map.of()))
                .hasMessageContaining("configuration key 'server.port' must be a whole number; got 'eighty'")
                .hasMessageContaining("KEEL_SERVER_PORT");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of(), Map.of("KEEL_SERVER_PORT", "70000")))
                .hasMessageContaining("'server.port' must be between 0 and 65535");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("ingest", Map.of("commit_every", "soon")), Map.of()))
                .hasMessageContaining("'ingest.commit_every' must be a duration");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("server", 5), Map.of()))
                .hasMessageContaining("'server' must be a section");
    }

    @Test
    void anUnknownKeyIsAnErrorSoTyposDoNotPassSilently() {
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("server", Map.of("prot", 9000)), Map.of()))
                .hasMessageContaining("unknown configuration key(s) [server.prot]");
    }

    @Test
    void malformedYamlIsReportedWithTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, "server:\n  port: [1, 2\n");
        assertThatThrownBy(() -> KeelConfig.readYaml(file)).hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> KeelConfig.readYaml(dir.resolve("absent.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void environmentVariableNamesFollowTheKeyPath() {
        assertThat(ConfigNode.envName("index.hybrid.rrf_k")).isEqualTo("KEEL_INDEX_HYBRID_RRF_K");
    }
}
