package io.keel.core.spi;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.util.Map;

/**
 * What one request asks of the generator beyond its configuration: another chat model, another version (or label) of
 * the answer prompt, another temperature or answer length. Experiments set these through a variant's overrides; a
 * null component keeps the configured value. Generators that have no such setting (the extractive one) ignore it, and
 * the answer's lineage says what actually generated it.
 *
 * @param model       a chat model name (under {@code models:} or in the registry), or null
 * @param prompt      a version or label of the answer prompt in the prompt store, or null
 * @param temperature sampling temperature, or null
 * @param maxTokens   answer length limit in tokens, or null
 */
public record GenerationSettings(String model, String prompt, Double temperature, Integer maxTokens) {
    /** The configured generator, unchanged. */
    public static final GenerationSettings CONFIGURED = new GenerationSettings(null, null, null, null);

    /** Override keys, as in keel.yaml and experiment files. */
    public static final String MODEL = "model";
    public static final String PROMPT = "prompt";
    public static final String TEMPERATURE = "generator.temperature";
    public static final String MAX_TOKENS = "generator.max_tokens";

    /** The settings an experiment variant's {@code overrides} ask for; keys other than the four above are ignored. */
    public static GenerationSettings from(Map<String, Object> overrides) {
        if (overrides.isEmpty()) return CONFIGURED;
        return new GenerationSettings(text(overrides, MODEL), text(overrides, PROMPT), number(overrides, TEMPERATURE),
                overrides.get(MAX_TOKENS) == null ? null : (int) Math.round(number(overrides, MAX_TOKENS)));
    }

    public boolean configured() {
        return model == null && prompt == null && temperature == null && maxTokens == null;
    }

    private static String text(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    private static Double number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof Number n) return n.doubleValue();
        throw new KeelException(ErrorCode.INTERNAL, "override " + key + " is not a number: " + v);
    }
}
