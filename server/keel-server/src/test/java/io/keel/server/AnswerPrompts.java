package io.keel.server;

import io.keel.app.Stores;
import io.keel.app.config.KeelConfig;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptLoader;
import io.keel.prompts.PromptStore;
import io.keel.store.sql.Database;

/** Two versions of the answer prompt in a configuration's prompt store, as {@code keel prompts push} leaves them. */
final class AnswerPrompts {
    /** Text the detailed version's system message has and the concise one's has not. */
    static final String DETAILED = "Answer in detail, explaining each point.";

    private AnswerPrompts() {
    }

    /**
     * Pushes {@code rag-answer} 1.0.0 (Keel's own, "Be concise.") and 2.0.0 (asking for {@link #DETAILED}), and points
     * {@code label} at 1.0.0 when it is not null.
     */
    static void push(KeelConfig config, String label) {
        try (Database db = Stores.open(config)) {
            PromptStore prompts = new PromptStore(db);
            String concise = BuiltinPrompts.text(BuiltinPrompts.RAG_ANSWER);
            prompts.push(PromptLoader.parse(concise, "rag-answer.yaml"), "alice");
            prompts.push(PromptLoader.parse(concise.replace("version: 1.0.0", "version: 2.0.0").replace("Be concise.", DETAILED),
                    "rag-answer.yaml"), "alice");
            if (label != null) prompts.label(BuiltinPrompts.RAG_ANSWER, label, "1.0.0", "alice");
        }
    }
}
