package io.keel.prompts;

import io.keel.core.config.ConfigNode;

import java.nio.file.Path;

/**
 * Prompts as code ({@code prompts:} in keel.yaml).
 *
 * @param dir   the prompts folder; its {@code rag-answer.yaml} is the RAG prompt (else the copy shipped with Keel)
 * @param label when set, the RAG prompt is the version this label points at in the prompt store (see
 *              {@code keel prompts push|label|rollback}), followed without a restart
 */
public record PromptConfig(Path dir, String label) {
    /** Reads the {@code prompts} section: {@code dir} (default {@code prompts}) and {@code label}. */
    public static PromptConfig from(ConfigNode node) {
        return new PromptConfig(Path.of(node.string("dir", "prompts")), node.string("label", null));
    }
}
