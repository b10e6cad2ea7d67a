package io.keel.core.config;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigNodeTest {

    private static ConfigNode node(Map<String, Object> tree) {
        return ConfigNode.root(tree, Map.of());
    }

    @Test
    void typedReadsReturnTheValueOrTheDefault() {
        ConfigNode n = node(Map.of("s", Map.of("name", "  kb  ", "blank", " ", "port", 9000, "ratio", "0.25",
                "on", "yes", "off", false, "big", 5_000_000_000L)));
        ConfigNode s = n.child("s");
        assertThat(s.string("name", "x")).isEqualTo("kb");
        assertThat(s.string("blank", "dflt")).isEqualTo("dflt");
        assertThat(s.string("absent", "dflt")).isEqualTo("dflt");
        assertThat(s.integer("port", 1, 0, 65535)).isEqualTo(9000);
        assertThat(s.integer("absent_int", 7, 0, 10)).isEqualTo(7);
        assertThat(s.decimal("ratio", 1, 0, 1)).isEqualTo(0.25);
        assertThat(s.bool("on", false)).isTrue();
        assertThat(s.bool("off", true)).isFalse();
        assertThat(s.longValue("big", 0, 0, Long.MAX_VALUE)).isEqualTo(5_000_000_000L);
        n.rejectUnknownKeys();
    }

    @Test
    void badTypesAndRangesNameTheFullKeyAndTheVariable() {
        ConfigNode s = node(Map.of("server", Map.of("port", "eighty", "max", 70000, "ratio", "2.5", "flag", "maybe",
                "nested", Map.of("a", 1)))).child("server");
        assertThatThrownBy(() -> s.integer("port", 1, 0, 65535))
                .isInstanceOf(KeelException.class)
                .hasMessage("configuration key 'server.port' must be a whole number; got 'eighty' (set it in keel.yaml or with KEEL_SERVER_PORT)")
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> s.integer("max", 1, 0, 65535)).hasMessageContaining("'server.max' must be between 0 and 65535; got 70000");
        assertThatThrownBy(() -> s.decimal("ratio", 0, 0, 1)).hasMessageContaining("'server.ratio' must be between 0.0 and 1.0");
        assertThatThrownBy(() -> s.bool("flag", true)).hasMessageContaining("'server.flag' must be true or false; got 'maybe'");
        assertThatThrownBy(() -> s.string("nested", null)).hasMessageContaining("'server.nested' must be a single value; got a section");
        assertThatThrownBy(() -> node(Map.of("server", 5)).child("server")).hasMessageContaining("'server' must be a section");
    }

    @Test
    void aWholeNumberTooLargeForAnIntIsOutOfRangeNotWrappedAround() {
        ConfigNode n = node(Map.of("n", "4294967297"));
        assertThatThrownBy(() -> n.integer("n", 0, 0, 10)).hasMessageContaining("must be between 0 and 10; got 4294967297");
    }

    @ParameterizedTest
    @CsvSource({
            "250ms, PT0.25S", "10s, PT10S", "10 s, PT10S", "5m, PT5M", "1h, PT1H", "7d, PT168H", "0s, PT0S",
            "PT10S, PT10S", "pt1m30s, PT1M30S", "P1D, PT24H", "10S, PT10S", "2M, PT2M"})
    void durationsInEveryAcceptedForm(String text, String iso) {
        assertThat(node(Map.of("t", text)).duration("t", null)).isEqualTo(Duration.parse(iso));
        assertThat(ConfigNode.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "10", "1.5s", "10 seconds", "ms", "5w", "P", "PTXS"})
    void anythingElseIsNotADuration(String text) {
        assertThatThrownBy(() -> node(Map.of("ingest", Map.of("commit_every", text))).child("ingest").duration("commit_every", null))
                .hasMessageContaining("configuration key 'ingest.commit_every' must be a duration such as 250ms, 10s, 5m, 1h, 7d or PT10S; got '" + text + "'")
                .hasMessageContaining("KEEL_INGEST_COMMIT_EVERY");
    }

    @Test
    void durationsAreCheckedAgainstTheirRange() {
        ConfigNode n = node(Map.of("neg", "-5s", "zero", "0s", "long", "2h"));
        assertThatThrownBy(() -> n.duration("neg", null)).hasMessageContaining("'neg' must be at least 0s; got '-5s'");
        assertThatThrownBy(() -> n.duration("zero", null, Duration.ofMillis(1), null)).hasMessageContaining("'zero' must be at least 0.001s");
        assertThatThrownBy(() -> n.duration("long", null, Duration.ZERO, Duration.ofHours(1)))
                .hasMessageContaining("'long' must be between 0s and 1h; got '2h'");
        assertThat(n.duration("absent", Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void environmentVariablesOverrideFileValuesAndFillAbsentKeys() {
        ConfigNode root = ConfigNode.root(Map.of("server", Map.of("port", 9000)),
                Map.of("KEEL_SERVER_PORT", "9100", "KEEL_SERVER_HOST", "127.0.0.1", "KEEL_INDEX_HYBRID_RRF_K", "30",
                        "KEEL_STREAMING_CONTENT_ALLOWED_PATHS", "/a, /b"));
        ConfigNode server = root.child("server");
        assertThat(server.integer("port", 8080, 0, 65535)).isEqualTo(9100);
        assertThat(server.string("host", "0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(server.has("host")).isTrue();
        assertThat(root.child("index").child("hybrid").integer("rrf_k", 60, 1, 1000)).isEqualTo(30);
        assertThat(root.child("streaming").child("content").strings("allowed_paths")).containsExactly("/a", "/b");
        root.rejectUnknownKeys();
        assertThat(ConfigNode.envName("index.hybrid.rrf_k")).isEqualTo("KEEL_INDEX_HYBRID_RRF_K");
    }

    @Test
    void aBadEnvironmentValueNamesTheVariable() {
        ConfigNode root = ConfigNode.root(Map.of(), Map.of("KEEL_SERVER_PORT", "70000"));
        assertThatThrownBy(() -> root.child("server").integer("port", 8080, 0, 65535))
                .hasMessageContaining("'server.port' must be between 0 and 65535").hasMessageContaining("KEEL_SERVER_PORT");
    }

    @Test
    void anUnknownTopLevelKeyIsAnErrorWithAHint() {
        ConfigNode root = node(Map.of("data_dir", "/srv", "modles", List.of()));
        root.string("data_dir", null);
        root.raw("models");
        root.child("server");
        assertThatThrownBy(root::rejectUnknownKeys)
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("unknown configuration key 'modles' (did you mean 'models'?)")
                .hasMessageContaining("known keys at the top level: data_dir, models, server");
    }

    @Test
    void anUnknownNestedKeyNamesItsPathAndTheClosestKnownKey() {
        ConfigNode root = node(Map.of("index", Map.of("hybrid", Map.of("rrf_kk", 30, "dense_weight", 1))));
        ConfigNode hybrid = root.child("index").child("hybrid");
        hybrid.integer("rrf_k", 60, 1, 1000);
        hybrid.decimal("dense_weight", 1, 0, 10);
        hybrid.decimal("bm25_weight", 1, 0, 10);
        assertThatThrownBy(root::rejectUnknownKeys)
                .hasMessageContaining("unknown configuration key 'index.hybrid.rrf_kk' (did you mean 'rrf_k'?)")
                .hasMessageContaining("known keys under 'index.hybrid': bm25_weight, dense_weight, rrf_k");
    }

    @Test
    void anUnknownSectionIsReportedOnceAndAFarOffKeyGetsNoHint() {
        ConfigNode root = node(Map.of("index", Map.of("hnws", Map.of("m", 16)), "zzzzzz", 1));
        ConfigNode index = root.child("index");
        index.child("hnsw").integer("m", 16, 2, 512);
        assertThatThrownBy(root::rejectUnknownKeys)
                .hasMessageContaining("2 problems")
                .hasMessageContaining("unknown configuration key 'index.hnws' (did you mean 'hnsw'?)")
                .hasMessageNotContaining("index.hnws.m")
                .hasMessageContaining("unknown configuration key 'zzzzzz'; known keys at the top level: index")
                .hasMessageNotContaining("'zzzzzz' (did you mean");
    }

    @Test
    void anEmptySectionIsNotAnUnknownKey() {
        Map<String, Object> tree = new java.util.HashMap<>();
        tree.put("guard", null);
        ConfigNode root = node(tree);
        assertThat(root.child("guard").bool("enabled", true)).isTrue();
        root.rejectUnknownKeys();
    }

    @Test
    void listItemsAreReadWithIndexedPathsAndTheirUnknownKeysRejected() {
        ConfigNode root = node(Map.of("models", List.of(
                Map.of("name", "a", "price", Map.of("input_per_1m", 1)),
                Map.of("name", "b", "price", Map.of("input_per_1m", "lots")))));
        assertThatThrownBy(() -> root.list("models", m -> m.string("name", null) + m.child("price").decimal("input_per_1m", 0, 0, 1e6)))
                .hasMessage("configuration key 'models[1].price.input_per_1m' must be a number; got 'lots'");

        ConfigNode typo = node(Map.of("models", List.of(Map.of("name", "a"), Map.of("name", "b", "provder", "openai"))));
        assertThatThrownBy(() -> typo.list("models", m -> {
            m.string("provider", null);
            return m.string("name", null);
        })).hasMessageContaining("unknown configuration key 'models[1].provder' (did you mean 'provider'?)");

        ConfigNode nested = node(Map.of("models", List.of(Map.of("name", "a", "retry", Map.of("max_attemps", 3)))));
        assertThatThrownBy(() -> nested.list("models", m -> m.child("retry").integer("max_attempts", 3, 1, 10)))
                .hasMessageContaining("unknown configuration key 'models[0].retry.max_attemps' (did you mean 'max_attempts'?)")
                .hasMessageContaining("known keys under 'models[0].retry': max_attempts");
    }

    @Test
    void listShorthandReadsASingleValueAsItsKey() {
        ConfigNode n = node(Map.of("endpoints", List.of("http://a:1", Map.of("url", "https://b")), "one", "http://c"));
        assertThat(n.list("endpoints", "url", e -> e.httpUrl("url"))).containsExactly(URI.create("http://a:1"), URI.create("https://b"));
        assertThat(n.list("one", "url", e -> e.httpUrl("url"))).containsExactly(URI.create("http://c"));
        assertThatThrownBy(() -> node(Map.of("endpoints", List.of("ftp://x"))).list("endpoints", "url", e -> e.httpUrl("url")))
                .hasMessageContaining("'endpoints[0].url' must be an http(s) URL; got 'ftp://x'")
                .hasMessageNotContaining("KEEL_");
        assertThatThrownBy(() -> node(Map.of("limits", "x")).list("limits", e -> e)).hasMessageContaining("'limits' must be a list");
        assertThatThrownBy(() -> node(Map.of("limits", List.of(3))).list("limits", e -> e)).hasMessageContaining("'limits[0]' must be a section");
    }

    @Test
    void choicesStringsSectionsAndProperties() {
        ConfigNode n = node(Map.of("backend", "PostgreSQL", "bad", "sqlte", "names", List.of("a", " b "), "csv", "x,,y",
                "params", Map.of("temperature", 0.2, "format", Map.of("type", "json")),
                "client", Map.of("security", Map.of("protocol", "SSL"), "acks", "all")));
        assertThat(n.choice("backend", "sqlite", "sqlite", "postgresql")).isEqualTo("postgresql");
        assertThatThrownBy(() -> n.choice("bad", "sqlite", "sqlite", "postgresql"))
                .hasMessageContaining("'bad' must be one of sqlite, postgresql; got 'sqlte' (did you mean 'sqlite'?)");
        assertThat(n.strings("names")).containsExactly("a", "b");
        assertThat(n.strings("csv")).containsExactly("x", "y");
        assertThat(n.section("params")).containsEntry("format", Map.of("type", "json"));
        assertThat(n.properties("client")).containsEntry("security.protocol", "SSL").containsEntry("acks", "all");
        assertThatThrownBy(() -> n.requiredString("absent", "the Kafka brokers"))
                .hasMessageContaining("'absent' is required: the Kafka brokers");
        n.rejectUnknownKeys();
    }

    @Test
    void aDetachedSectionNamesKeysFromItsOwnPath() {
        ConfigNode entry = ConfigNode.detached("", Map.of("name", "m", "endpionts", List.of()));
        entry.string("name", null);
        entry.list("endpoints", "url", e -> e.httpUrl("url"));
        assertThatThrownBy(entry::rejectUnknownKeys).hasMessageContaining("unknown configuration key 'endpionts' (did you mean 'endpoints'?)");
        assertThatThrownBy(() -> ConfigNode.detached("model", "x")).hasMessageContaining("'model' must be a section");
    }

    @Test
    void editDistance() {
        assertThat(KeyHints.editDistance("rrf_k", "rrf_k")).isZero();
        assertThat(KeyHints.editDistance("prot", "port")).isEqualTo(2);
        assertThat(KeyHints.editDistance("pricing", "price")).isEqualTo(3);
        assertThat(KeyHints.closest("prot", java.util.Set.of("port", "host"))).isEqualTo("port");
        assertThat(KeyHints.closest("pricing", java.util.Set.of("price"))).isNull();
    }
}
