package io.keel.app;

import io.keel.core.error.KeelException;
import io.keel.core.spi.GenerationSettings;
import io.keel.experiments.ExperimentSet;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptStore;

import java.util.function.Predicate;

/**
 * What an experiment's variants name must exist before it runs: the chat models ({@code model}) and the versions or
 * labels of the answer prompt ({@code prompt}). The server checks at startup and when an experiment is started; the
 * CLI checks when it starts one.
 */
public final class ExperimentChecks {
    private ExperimentChecks() {
    }

    /** The names of the {@code models:} entries of keel.yaml, as written (see {@code KeelConfig#models()}). */
    public static java.util.Set<String> modelNames(Object rawModels) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        if (rawModels instanceof java.util.List<?> entries) {
            for (Object e : entries) {
                if (e instanceof java.util.Map<?, ?> m && m.get("name") != null) names.add(m.get("name").toString());
            }
        }
        return names;
    }

    /**
     * @param knownModel whether a chat model of that name can be called
     * @param models     the callable models, for the message
     */
    public static void check(ExperimentSet experiments, Predicate<String> knownModel, String models, PromptStore prompts) {
        experiments.checkValues(GenerationSettings.MODEL, knownModel,
                "a chat model under models: or in the model registry; configured: " + models);
        experiments.checkValues(GenerationSettings.PROMPT, ref -> {
            try {
                prompts.resolve(BuiltinPrompts.RAG_ANSWER, ref);
                return true;
            } catch (KeelException e) {
                return false;
            }
        }, "a version or label of prompt '" + BuiltinPrompts.RAG_ANSWER + "' in the prompt store; push it with: keel prompts push");
    }
}
