package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import java.nio.file.Path;

/**
 * Prompts as code ({@code prompts.*}).
 *
 * @param dir   the prompts folder; its {@code rag-answer.yaml} is the RAG prompt (else the copy shipped with Keel)
 * @param label when set, the RAG prompt is the version this label points at in the prompt store (see
 *              {@code keel prompts push|label|rollback}), followed without a restart
 */
public record PromptSettings(Path dir, String label) {
    static PromptSettings from(ConfigNode n) {
        String label = n.string("label", null);
        return new PromptSettings(Path.of(n.string("dir", "prompts")), label == null || label.isBlank() ? null : label.strip());
    }
}
