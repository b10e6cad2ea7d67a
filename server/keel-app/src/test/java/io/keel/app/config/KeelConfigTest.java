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
        assertThat(c.embedding().backend()).isEqualTo("onnx");
        assertThat(io.keel.embed.onnx.OnnxEmbedderConfig.from(c.embedding().section()).model()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(c.index()).isEqualTo(LuceneIndexConfig.DEFAULTS);
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
        assertThat(c.index().quantization()).isEqualTo(LuceneIndexConfig.Quantization.INT8);
        assertThat(c.index().rrfK()).isEqualTo(30);
        assertThat(c.ingest().options().commitInterval()).isEqualTo(Duration.ofMinutes(2));
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

    @Test
    void theEmbeddingBackendIsChosenByNameAndItsKeysAreCheckedAtLoad() {
        KeelConfig remote = KeelConfig.fromTree(java.util.Map.of("embedding", java.util.Map.of("backend", "openai",
                "model", "text-embedding-3-small", "endpoints", java.util.List.of("http://127.0.0.1:1/v1"),
                "max_batch_size", 64)), java.util.Map.of());
        assertThat(remote.embedding().backend()).isEqualTo("openai");
        assertThat(remote.embedding().factory().name()).isEqualTo("openai");

        assertThat(KeelConfig.fromTree(java.util.Map.of(), java.util.Map.of("KEEL_EMBEDDING_BACKEND", "openai",
                "KEEL_EMBEDDING_MODEL", "m", "KEEL_EMBEDDING_ENDPOINTS", "http://a:1/v1,http://b:1/v1")).embedding().backend())
                .isEqualTo("openai");

        assertThatThrownBy(() -> KeelConfig.fromTree(java.util.Map.of("embedding", java.util.Map.of("backend", "word2vec")), java.util.Map.of()))
                .isInstanceOf(io.keel.core.error.KeelException.class)
                .hasMessageContaining("embedding.backend").hasMessageContaining("onnx").hasMessageContaining("openai");
        assertThatThrownBy(() -> KeelConfig.fromTree(java.util.Map.of("embedding", java.util.Map.of("backend", "openai",
                "endpoints", "http://127.0.0.1:1/v1")), java.util.Map.of()))
                .hasMessageContaining("embedding.model");
        // a key of the other backend is a typo for this one
        assertThatThrownBy(() -> KeelConfig.fromTree(java.util.Map.of("embedding", java.util.Map.of("backend", "openai",
                "model", "m", "endpoints", "http://127.0.0.1:1/v1", "query_threads", 2)), java.util.Map.of()))
                .hasMessageContaining("embedding.query_threads");
    }
}
