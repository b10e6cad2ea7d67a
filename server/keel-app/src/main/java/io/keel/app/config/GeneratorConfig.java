package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import io.keel.generator.extractive.ExtractiveConfig;

/**
 * Which generator answers questions ({@code generator:} in keel.yaml).
 *
 * @param model       a chat model configured under {@code models:}; null means the embedded extractive generator
 * @param fallback    when the model fails, answer extractively instead of failing the request
 * @param maxTokens   completion tokens asked of the model; null: the prompt's or the provider's default
 * @param temperature sampling temperature asked of the model; null: the prompt's or the provider's default
 * @param extractive  the extractive generator's settings ({@code generator.extractive})
 */
public record GeneratorConfig(String model, boolean fallback, Integer maxTokens, Double temperature,
                              ExtractiveConfig extractive) {
    static GeneratorConfig from(ConfigNode node) {
        int maxTokens = node.integer("max_tokens", 0, 0, 1_000_000);
        double temperature = node.decimal("temperature", -1, -1, 2);
        return new GeneratorConfig(node.string("model", null), node.bool("fallback_to_extractive", false),
                maxTokens == 0 ? null : maxTokens, temperature < 0 ? null : temperature,
                ExtractiveConfig.from(node.child("extractive")));
    }
}
