package io.keel.prompts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Collections;

/**
 * One test case of a prompt: the variables to render it with, optionally the response recorded for them (so CI
 * runs without a model and without cost), and what the response must satisfy.
 *
 * @param name              unique within the prompt
 * @param vars              the variables; values are scalars (text, numbers, booleans)
 * @param recordedResponse  the response to check instead of calling a model, or null to call the configured model
 * @param assertions        checked in order; at least one
 */
public record PromptTest(String name, Map<String, Object> vars, String recordedResponse, List<PromptAssertion> assertions) {
    public PromptTest {
        Objects.requireNonNull(name, "name");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
        assertions = List.copyOf(assertions);
    }
}
