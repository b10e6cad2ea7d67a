package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.GeneratorFactory;
import io.keel.generator.extractive.ExtractiveConfig;
import io.keel.rag.ChatGeneratorFactory;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which generator answers questions ({@code generator:} in keel.yaml): {@code backend} names a
 * {@link GeneratorFactory} ({@code extractive} or {@code model}; without it, {@code model} when {@code model} is set,
 * else {@code extractive}), which reads the rest of the section itself. The section is checked when the configuration
 * loads: an unknown backend, or {@code backend: model} without a {@code model}, fails then.
 *
 * @param backend     the generator's backend name
 * @param model       a chat model configured under {@code models:}; null when none is named
 * @param fallback    when the model fails, answer extractively instead of failing the request
 * @param maxTokens   completion tokens asked of the model; null: the prompt's or the provider's default
 * @param temperature sampling temperature asked of the model; null: the prompt's or the provider's default
 * @param extractive  the extractive generator's settings ({@code generator.extractive})
 * @param section     the section the backend builds its generator from
 */
public record GeneratorConfig(String backend, String model, boolean fallback, Integer maxTokens, Double temperature,
                              ExtractiveConfig extractive, ConfigNode section) {
    /** A configuration made in code: the backend follows from {@code model}, the section from the values. */
    public GeneratorConfig(String model, boolean fallback, Integer maxTokens, Double temperature, ExtractiveConfig extractive) {
        this(defaultBackend(model), model, fallback, maxTokens, temperature, extractive,
                ConfigNode.detached("generator", section(model, fallback, maxTokens, temperature, extractive)));
    }

    static GeneratorConfig from(ConfigNode node) {
        ChatGeneratorFactory.Settings chat = ChatGeneratorFactory.Settings.from(node);
        ExtractiveConfig extractive = ExtractiveConfig.from(node.child("extractive"));
        String backend = node.string("backend", defaultBackend(chat.model())).strip().toLowerCase(Locale.ROOT);
        Backends.find(GeneratorFactory.class, backend, node.key("backend")).check(node);
        return new GeneratorConfig(backend, chat.model(), chat.fallback(), chat.maxTokens(), chat.temperature(), extractive, node);
    }

    /** The factory {@link #backend} names. */
    public GeneratorFactory factory() {
        return Backends.find(GeneratorFactory.class, backend, section.key("backend"));
    }

    private static String defaultBackend(String model) {
        return model == null ? "extractive" : ChatGeneratorFactory.NAME;
    }

    private static Map<String, Object> section(String model, boolean fallback, Integer maxTokens, Double temperature,
                                               ExtractiveConfig e) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model != null) m.put("model", model);
        m.put("fallback_to_extractive", fallback);
        if (maxTokens != null) m.put("max_tokens", maxTokens);
        if (temperature != null) m.put("temperature", temperature);
        if (e != null) {
            m.put("extractive", Map.of("max_sentences", e.maxSentences(), "max_chunks", e.maxChunks(),
                    "semantic_weight", e.semanticWeight(), "lexical_weight", e.lexicalWeight(), "rank_weight", e.rankWeight(),
                    "relative_cutoff", e.relativeCutoff()));
        }
        return m;
    }
}
