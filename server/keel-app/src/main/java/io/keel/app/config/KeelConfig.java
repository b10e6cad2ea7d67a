package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.error.KeelException;
import io.keel.embed.onnx.OnnxEmbedderConfig;
import io.keel.generator.extractive.ExtractiveConfig;
import io.keel.quality.QualityConfig;
import io.keel.tracing.TracingConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration of one Keel instance: {@code keel.yaml} (every key optional, see docs/configuration.md)
 * with {@code KEEL_*} environment overrides. With no file at all Keel runs on embedded defaults: data under
 * {@code ./keel-data}, port 8080, the embedded MiniLM model, a Lucene index and the extractive generator.
 */
public record KeelConfig(Path dataDir, ServerConfig server, OnnxEmbedderConfig embedding, IndexSettings index,
                         RetrievalConfig retrieval, IngestSettings ingest, GeneratorSettings generator,
                         GuardSettings guard, Object models, Map<String, Object> streaming, boolean requestLogEnabled,
                         StoreSettings store, BudgetSettings budgets, PromptSettings prompts,
                         TracingConfig tracing, QualityConfig quality, ConfigNode root) {

    /**
     * Which generator answers questions ({@code generator.*}).
     *
     * @param model    a chat model configured under {@code models:}; null means the embedded extractive generator
     * @param fallback when the model fails, answer extractively instead of failing the request
     */
    public record GeneratorSettings(String model, boolean fallback, Integer maxTokens, Double temperature,
                                    ExtractiveConfig extractive) {
        static GeneratorSettings from(ConfigNode node) {
            String model = node.string("model", null);
            ConfigNode ex = node.child("extractive");
            ExtractiveConfig d = ExtractiveConfig.defaults();
            int maxTokens = node.integer("max_tokens", 0, 0, 1_000_000);
            double temperature = node.decimal("temperature", -1, -1, 2);
            return new GeneratorSettings(model == null || model.isBlank() ? null : model,
                    node.bool("fallback_to_extractive", false),
                    maxTokens == 0 ? null : maxTokens, temperature < 0 ? null : temperature, new ExtractiveConfig(
                    ex.integer("max_sentences", d.maxSentences(), 1, 50),
                    ex.integer("max_chunks", d.maxChunks(), 1, 100),
                    ex.decimal("semantic_weight", d.semanticWeight(), 0, 10),
                    ex.decimal("lexical_weight", d.lexicalWeight(), 0, 10),
                    ex.decimal("rank_weight", d.rankWeight(), 0, 10),
                    ex.decimal("relative_cutoff", d.relativeCutoff(), 0, 1)));
        }
    }

    public KeelConfig withDataDir(Path dir) {
        return new KeelConfig(dir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withServer(ServerConfig s) {
        return new KeelConfig(dataDir, s, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withGuard(GuardSettings g) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, g, models, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withModels(Object rawModels, GeneratorSettings g) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, g, guard, rawModels, streaming, requestLogEnabled, store, budgets, prompts, tracing, quality, root);
    }

    public KeelConfig withBudgets(BudgetSettings b) {
        return new KeelConfig(dataDir, server, embedding, index, retrieval, ingest, generator, guard, models, streaming, requestLogEnabled, store, b, prompts, tracing, quality, root);
    }

    public KeelConfig withStore(StoreSettings s) {
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

    public static KeelConfig fromTree(Map<String, Object> tree, Map<String, String> env) {
        ConfigNode root = ConfigNode.root(new LinkedHashMap<>(tree), env);
        KeelConfig config = new KeelConfig(
                Path.of(root.string("data_dir", "keel-data")),
                ServerConfig.from(root.child("server")),
                embedding(root.child("embedding")),
                IndexSettings.from(root.child("index")),
                RetrievalConfig.from(root.child("retrieval")),
                IngestSettings.from(root.child("ingest"), root.child("chunking")),
                GeneratorSettings.from(root.child("generator")),
                GuardSettings.from(root.child("guard")),
                root.raw("models"),
                streaming(root.raw("streaming"), env),
                root.child("request_log").bool("enabled", true),
                StoreSettings.from(root.child("store")),
                BudgetSettings.from(root.child("budgets")),
                PromptSettings.from(root.child("prompts")),
                ObservabilitySettings.tracing(root.child("tracing")),
                ObservabilitySettings.quality(root.child("quality")),
                root);
        List<String> unknown = root.rootState().unknownKeys();
        if (!unknown.isEmpty()) {
            throw KeelException.invalid("unknown configuration key(s) " + unknown + "; see docs/configuration.md for every key");
        }
        return config;
    }

    /**
     * The {@code streaming:} section as flat {@code streaming.kafka.topic}-style keys, the form the streaming layer
     * validates. {@code KEEL_STREAMING_<GROUP>_<KEY>} overrides a key, e.g. {@code KEEL_STREAMING_KAFKA_BOOTSTRAP_SERVERS}.
     */
    static Map<String, Object> streaming(Object raw, Map<String, String> env) {
        Map<String, Object> flat = new LinkedHashMap<>();
        if (raw != null && !(raw instanceof Map<?, ?>)) throw ConfigNode.bad("streaming", "must be a section (key: value pairs)");
        flatten("streaming", raw, flat);
        env.forEach((name, value) -> {
            var m = java.util.regex.Pattern.compile("KEEL_STREAMING_(KAFKA|HTTP|CONTENT)_(.+)").matcher(name);
            if (m.matches()) flat.put("streaming." + m.group(1).toLowerCase(java.util.Locale.ROOT) + "." + m.group(2).toLowerCase(java.util.Locale.ROOT), value);
        });
        return java.util.Collections.unmodifiableMap(flat);
    }

    private static void flatten(String prefix, Object node, Map<String, Object> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> flatten(prefix + "." + k, v, out));
        } else if (node instanceof List<?> l) {
            out.put(prefix, String.join(",", l.stream().map(String::valueOf).toList()));
        } else if (node != null) {
            out.put(prefix, node);
        }
    }

    private static OnnxEmbedderConfig embedding(ConfigNode n) {
        OnnxEmbedderConfig d = OnnxEmbedderConfig.defaults();
        return new OnnxEmbedderConfig(
                n.string("model", d.model()),
                n.integer("batch_size", d.batchSize(), 1, 1024),
                n.integer("workers", d.workers(), 1, 256),
                n.integer("query_threads", d.queryThreads(), 1, 256),
                n.integer("cache_size", d.cacheSize(), 0, 10_000_000),
                n.integer("max_query_batch", d.maxQueryBatch(), 1, 1024));
    }
}
