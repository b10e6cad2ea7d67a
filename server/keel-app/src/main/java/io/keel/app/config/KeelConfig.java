package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.error.KeelException;
import io.keel.experiments.ExperimentsConfig;
import io.keel.guard.GuardConfig;
import io.keel.model.ModelConfig;
import io.keel.model.budget.BudgetConfig;
import io.keel.prompts.PromptConfig;
import io.keel.quality.QualityConfig;
import io.keel.store.sql.StoreConfig;
import io.keel.tracing.TracingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole configuration of one Keel instance: {@code keel.yaml} (every key optional, see docs/configuration.md)
 * with {@code KEEL_*} environment overrides. With no file at all Keel runs on embedded defaults: data under
 * {@code ./keel-data}, port 8080, the embedded MiniLM model, a Lucene index and the extractive generator. The
 * embedder is chosen by {@code embedding.backend} ({@link EmbeddingConfig}).
 *
 * <p>Each section is read by its component's own {@code from(ConfigNode)}; a key no component reads is an error at
 * load, naming the key path and the closest known key.
 *
 * @param models the {@code models:} entries as written (the registry stores them verbatim); each was read and checked
 *               by {@link ModelConfig#from(ConfigNode)} at load
 */
public record KeelConfig(Path dataDir, ServerConfig server, EmbeddingConfig embedding, IndexConfig index,
                         RetrievalConfig retrieval, IngestConfig ingest, GeneratorConfig generator,
                         GuardConfig guard, Object models, StreamingConfig streaming, boolean requestLogEnabled,
                         StoreConfig store, BudgetConfig budgets, PromptConfig prompts,
                         TracingConfig tracing, QualityConfig quality, ConfigNode root) {

    public KeelConfig withDataDir(Path dir) {
        return new KeelConfig(dir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withServer(ServerConfig s) {
        return new KeelConfig(dataDir, s, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withGuard(GuardConfig g) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, g, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withModels(Object rawModels, GeneratorConfig g) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, g, guard, rawModels, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withBudgets(BudgetConfig b) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, b, prompts, tracing, quality, root);
    }

    public KeelConfig withStore(StoreConfig s) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, s, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withTracing(TracingConfig t) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, t, quality, root);
    }

    public KeelConfig withQuality(QualityConfig q) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, q, root);
    }

    public KeelConfig withRequestLog(boolean enabled) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, enabled, store, budgets, prompts, tracing, quality, root);
    }

    /** Per-tenant guard policies, allowed models and budgets ({@code tenants.*}). */
    public TenantsConfig tenants() {
        return TenantsConfig.from(root.child("tenants"));
    }

    /** Authentication settings ({@code auth.*}), checked at load with every other section. */
    public AuthConfig auth() {
        return AuthConfig.from(root.child("auth"));
    }

    /** The provider keys models registered over the API may name ({@code providers.keys.*}). */
    public ProviderKeysConfig providerKeys() {
        return ProviderKeysConfig.from(root.child("providers"));
    }

    /** The knowledge graph ({@code graph.*}), read at load too so its keys are checked with the rest of the file. */
    public io.keel.graph.GraphSettings graph() {
        return root == null ? io.keel.graph.GraphSettings.defaults() : io.keel.graph.GraphSettings.from(root.child("graph"));
    }

    /**
     * This configuration with {@code graph.enabled: true} (the benchmarks' switch); the file's other graph keys and the
     * process environment apply as at load.
     */
    public KeelConfig withGraphEnabled() {
        Map<String, Object> tree = new LinkedHashMap<>(root.asMap());
        Map<String, Object> graph = new LinkedHashMap<>(root.child("graph").asMap());
        graph.put("enabled", true);
        tree.put("graph", graph);
        KeelConfig c = fromTree(tree, System.getenv());
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming,
                requestLogEnabled, store, budgets, prompts, tracing, quality, c.root());
    }

    /** The {@code experiments} section (read at load too, so its keys are checked with the rest of the file). */
    public ExperimentsConfig experiments() {
        return ExperimentsConfig.from(root.child("experiments"));
    }

    /** The {@code routing} section (read at load too, so its keys are checked with the rest of the file). */
    public io.keel.routing.RoutingConfig routing() {
        return root == null ? io.keel.routing.RoutingConfig.NONE : io.keel.routing.RoutingConfig.from(root.child("routing"));
    }

    /** The {@code agents} section (read at load too, so its keys are checked with the rest of the file). */
    public io.keel.agent.AgentsConfig agents() {
        return io.keel.agent.AgentsConfig.from(root.child("agents"));
    }

    public static KeelConfig defaults() {
        return fromTree(Map.of(), Map.of());
    }

    /**
     * Loads {@code file} (null: {@code ./keel.yaml} when it exists, else defaults) with the process environment.
     */
    public static KeelConfig load(Path file) {
        Path chosen = file;
        if (chosen == null && Files.exists(Path.of("keel.yaml"))) chosen = Path.of("keel.yaml");
        Map<String, Object> tree = chosen == null ? Map.of() : readYaml(chosen);
        return fromTree(tree, System.getenv());
    }

    static Map<String, Object> readYaml(Path file) {
        if (!Files.isRegularFile(file)) throw KeelException.invalid("configuration file " + file + " does not exist");
        try {
            Object parsed = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
            if (parsed == null) return Map.of();
            if (!(parsed instanceof Map<?, ?> m)) throw KeelException.invalid(file + " must be a YAML mapping of keys to values");
            @SuppressWarnings("unchecked") Map<String, Object> map = (Map<String, Object>) m;
            return map;
        } catch (JsonProcessingException e) {
            throw KeelException.invalid(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw KeelException.invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    /**
     * {@code request_log.retention}: how long request-log records are kept before a running server purges them
     * (a duration of at least an hour), or empty to keep them until purged by hand.
     */
    public java.util.Optional<java.time.Duration> requestLogRetention() {
        return root == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(retention(root));
    }

    private static java.time.Duration retention(ConfigNode root) {
        return root.child("request_log").duration("retention", null, java.time.Duration.ofHours(1), null);
    }

    public static KeelConfig fromTree(Map<String, Object> tree, Map<String, String> env) {
        ConfigNode root = ConfigNode.root(new LinkedHashMap<>(tree), env);
        root.list("models", ModelConfig::from);
        KeelConfig config = new KeelConfig(
                Path.of(root.string("data_dir", "keel-data")),
                ServerConfig.from(root.child("server")),
                EmbeddingConfig.from(root.child("embedding")),
                IndexConfig.from(root.child("index")),
                RetrievalConfig.from(root.child("retrieval")),
                IngestConfig.from(root.child("ingest"), root.child("chunking")),
                GeneratorConfig.from(root.child("generator")),
                GuardConfig.from(root.child("guard")),
                root.raw("models"),
                StreamingConfig.from(root.child("streaming")),
                root.child("request_log").bool("enabled", true),
                StoreConfig.from(root.child("store")),
                BudgetConfig.from(root.child("budgets")),
                PromptConfig.from(root.child("prompts")),
                TracingConfig.from(root.child("tracing")),
                QualityConfig.from(root.child("quality")),
                root);
        AuthConfig.from(root.child("auth"));
        ProviderKeysConfig.from(root.child("providers"));
        retention(root);
        config.experiments();
        config.routing();
        config.tenants();
        config.agents();
        config.graph();
        root.rejectUnknownKeys();
        return config;
    }
}
