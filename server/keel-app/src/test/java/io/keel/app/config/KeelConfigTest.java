package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.query.RetrievalMode;
import io.keel.index.lucene.LuceneIndexConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        assertThat(KeelConfig.fromTree(Map.of("index", Map.of("backend", "pgvector")), Map.of()).index().factory())
                .isInstanceOf(io.keel.index.pgvector.PgVectorIndexStoreFactory.class);
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of(), Map.of("KEEL_INDEX_BACKEND", "elastic")))
                .hasMessageContaining("configuration key 'index.backend' names 'elastic'")
                .hasMessageContaining("available: [lucene, pgvector]");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("index", Map.of("backend", "pgvector", "quantization", "int8")), Map.of()))
                .hasMessageContaining("index.quantization");
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
                .hasMessageContaining("unknown configuration key 'server.prot' (did you mean 'port'?)")
                .hasMessageContaining("known keys under 'server': body_timeout, header_timeout, host, idle_timeout, insecure, max_chat_request_bytes, max_connections, max_question_chars, max_request_bytes, port, read_timeout");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("retreival", Map.of("top_k", 3)), Map.of()))
                .hasMessageContaining("unknown configuration key 'retreival' (did you mean 'retrieval'?)");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("streaming", Map.of("kafka", Map.of("bootstrap_servers", "k:1",
                "topic", "t", "client", Map.of("acks", "all"), "colection", "kb"))), Map.of()))
                .hasMessageContaining("unknown configuration key 'streaming.kafka.colection' (did you mean 'collection'?)");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("budgets", Map.of("limits", List.of(
                Map.of("scope", "tenant", "limit_usd", 5), Map.of("scope", "app", "limit_usd", 5, "perod", "month")))), Map.of()))
                .hasMessageContaining("unknown configuration key 'budgets.limits[1].perod' (did you mean 'period'?)");
    }

    @Test
    void authServerAndProviderKeysAreReadAndCheckedAtLoad() {
        KeelConfig d = KeelConfig.defaults();
        assertThat(d.server().host()).as("unset: chosen at start from the auth mode").isNull();
        assertThat(d.server().insecure()).isFalse();
        assertThat(d.auth()).isEqualTo(AuthConfig.DEFAULTS);
        assertThat(d.providerKeys().allowedHosts()).isEmpty();
        KeelConfig c = KeelConfig.fromTree(Map.of("server", Map.of("host", "0.0.0.0", "insecure", true),
                "auth", Map.of("enabled", "true", "cache_ttl", "500ms", "requests_per_minute", 600),
                "providers", Map.of("keys", Map.of("OPENAI_API_KEY", Map.of("allowed_hosts", List.of("API.openai.com"))))), Map.of());
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().insecure()).isTrue();
        assertThat(c.auth()).isEqualTo(new AuthConfig("true", java.time.Duration.ofMillis(500), 600));
        assertThat(c.providerKeys().allowedHosts()).isEqualTo(Map.of("OPENAI_API_KEY", List.of("api.openai.com")));
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("auth", Map.of("enabled", "maybe")), Map.of()))
                .hasMessageContaining("auth.enabled");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("auth", Map.of("cahce_ttl", "2s")), Map.of()))
                .hasMessageContaining("did you mean 'cache_ttl'");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("providers", Map.of("keys", Map.of("K", Map.of("allowed_hosts", List.of())))), Map.of()))
                .hasMessageContaining("allowed_hosts");
    }

    @Test
    void modelEntriesAreReadAtLoadWithTheirKeyPaths() {
        Map<String, Object> ok = Map.of("name", "a", "provider", "openai", "endpoints", List.of("http://llm:8000/v1"));
        Map<String, Object> typo = Map.of("name", "b", "provider", "openai", "endpoints", List.of("http://llm:8000/v1"),
                "price", Map.of("input_per_1m", 1, "ouput_per_1m", 2));
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("models", List.of(ok, typo)), Map.of()))
                .hasMessageContaining("unknown configuration key 'models[1].price.ouput_per_1m' (did you mean 'output_per_1m'?)");
        Map<String, Object> bad = Map.of("name", "c", "provider", "openai", "endpoints", List.of("http://llm:8000/v1"),
                "retry", Map.of("max_attempts", 50));
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("models", List.of(ok, ok, bad)), Map.of()))
                .hasMessageContaining("configuration key 'models[2].retry.max_attempts' must be between 1 and 10; got 50");
        assertThat(KeelConfig.fromTree(Map.of("models", List.of(ok)), Map.of()).models()).isEqualTo(List.of(ok));
    }

    @Test
    void everySectionIsReadByItsComponent() {
        KeelConfig c = KeelConfig.fromTree(Map.of(
                "guard", Map.of("enabled", false),
                "store", Map.of("backend", "postgresql", "url", "jdbc:postgresql://db:5432/keel", "pool_size", 4),
                "budgets", Map.of("default_max_tokens", 256, "limits", List.of(Map.of("scope", "tenant", "subject", "acme",
                        "period", "month", "limit_usd", 100))),
                "prompts", Map.of("dir", "p", "label", " prod "),
                "tracing", Map.of("sample_ratio", 0.5, "otlp", Map.of("endpoint", "http://collector:4318", "headers", Map.of("x-key", "k"))),
                "quality", Map.of("drift", Map.of("min_queries", 5)),
                "generator", Map.of("model", "m", "extractive", Map.of("max_sentences", 3)),
                "streaming", Map.of("tombstones", Map.of("retention", "1d"), "http", Map.of("batch_size", 8))),
                Map.of("KEEL_STREAMING_KAFKA_BOOTSTRAP_SERVERS", "k:9092", "KEEL_STREAMING_KAFKA_TOPIC", "events"));
        assertThat(c.guard().enabled()).isFalse();
        assertThat(c.store().poolSize()).isEqualTo(4);
        assertThat(c.budgets().defaultMaxTokens()).isEqualTo(256);
        assertThat(c.budgets().limits()).singleElement().satisfies(b -> assertThat(b.period()).isEqualTo(io.keel.core.budget.Budget.Period.MONTH));
        assertThat(c.prompts().label()).isEqualTo("prod");
        assertThat(c.tracing().sampleRatio()).isEqualTo(0.5);
        assertThat(c.tracing().headers()).containsEntry("x-key", "k");
        assertThat(c.quality().driftMinQueries()).isEqualTo(5);
        assertThat(c.generator().model()).isEqualTo("m");
        assertThat(c.generator().extractive().maxSentences()).isEqualTo(3);
        assertThat(c.streaming().tombstones().retention()).isEqualTo(Duration.ofDays(1));
        assertThat(c.streaming().push().batchSize()).isEqualTo(8);
        assertThat(c.streaming().kafka().bootstrapServers()).isEqualTo("k:9092");
        assertThat(c.streaming().kafka().topic()).isEqualTo("events");
        assertThat(KeelConfig.defaults().streaming()).isEqualTo(StreamingConfig.DEFAULTS);
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("store", Map.of("backend", "postgres")), Map.of()))
                .hasMessageContaining("'store.backend' must be one of postgresql, sqlite; got 'postgres'");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("store", Map.of("backend", "postgresql")), Map.of()))
                .hasMessageContaining("'store.url' must be a jdbc:postgresql://host:port/database URL");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("budgets", Map.of("limits", List.of(Map.of("scope", "team")))), Map.of()))
                .hasMessageContaining("'budgets.limits[0].scope' must be one of tenant, app, user; got 'team'");
    }

    @Test
    void malformedYamlIsReportedWithTheLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.yaml");
        Files.writeString(file, "server:\n  port: [1, 2\n");
        assertThatThrownBy(() -> KeelConfig.readYaml(file)).hasMessageContaining("is not valid YAML");
        assertThatThrownBy(() -> KeelConfig.readYaml(dir.resolve("absent.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void configurationMdDocumentsEveryKeyKeelReads() throws Exception {
        Path doc = Path.of(System.getProperty("keel.home", "../.."), "docs", "configuration.md");
        String text = Files.readString(doc);
        int start = text.indexOf("```yaml\n");
        String yaml = text.substring(start + 8, text.indexOf("```", start + 8));
        Map<String, Object> documented = new com.fasterxml.jackson.databind.ObjectMapper(
                new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readValue(yaml, Map.class);
        java.util.Set<String> keys = KeelConfig.defaults().root().rootState().knownKeys();
        assertThat(keys).contains("server.port", "index.hybrid.rrf_k", "streaming.tombstones.retention", "tracing.otlp.timeout");
        for (String key : keys) {
            Object node = documented;
            for (String part : key.split("\\.")) {
                assertThat(node).as("docs/configuration.md documents '%s'", key).isInstanceOf(Map.class);
                Map<?, ?> section = (Map<?, ?>) node;
                assertThat(section.containsKey(part)).as("docs/configuration.md documents '%s'", key).isTrue();
                node = section.get(part);
            }
        }
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

    @Test
    void requestLogRetentionIsADurationOfAtLeastAnHour() {
        assertThat(KeelConfig.fromTree(Map.of(), Map.of()).requestLogRetention()).isEmpty();
        assertThat(KeelConfig.fromTree(Map.of("request_log", Map.of("retention", "30d")), Map.of()).requestLogRetention())
                .contains(java.time.Duration.ofDays(30));
        assertThat(KeelConfig.fromTree(Map.of(), Map.of("KEEL_REQUEST_LOG_RETENTION", "2h")).requestLogRetention())
                .contains(java.time.Duration.ofHours(2));
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("request_log", Map.of("retention", "5m")), Map.of()))
                .hasMessageContaining("request_log.retention").hasMessageContaining("at least");
        assertThatThrownBy(() -> KeelConfig.fromTree(Map.of("request_log", Map.of("retension", "5d")), Map.of()))
                .hasMessageContaining("retention");
    }
}
