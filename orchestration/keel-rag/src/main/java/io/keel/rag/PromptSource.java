package io.keel.rag;

import io.keel.core.error.KeelException;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptFile;
import io.keel.prompts.PromptFolder;
import io.keel.prompts.PromptStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Where the RAG prompt comes from. Without a label: the {@code rag-answer} file of the prompts folder, or the copy
 * shipped with Keel. With a label ({@code prompts.label}): the version that label points at in the prompt store,
 * re-read every few seconds, so {@code keel prompts label} and {@code keel prompts rollback} take effect on a running
 * server without a restart.
 */
public final class PromptSource {
    private static final Logger LOG = Logger.getLogger(PromptSource.class.getName());
    public static final Duration REFRESH = Duration.ofSeconds(5);

    private PromptSource() {
    }

    /**
     * Where an instance's prompts come from ({@code prompts:} in keel.yaml).
     *
     * @param dir   the prompts folder, or null for the copies shipped with Keel
     * @param label the prompt-store label to serve, or null to serve the folder
     * @param store the prompt store labels are resolved in
     */
    public record Settings(Path dir, String label, PromptStore store) {
        /** {@link #ragAnswer(Path, String, PromptStore)} for these settings. */
        public Supplier<PromptFile> ragAnswer() {
            return PromptSource.ragAnswer(dir, label, store);
        }

        /** {@link #ragAnswerVersions(PromptStore)} of these settings' store. */
        public Function<String, PromptFile> ragAnswerVersions() {
            return PromptSource.ragAnswerVersions(store);
        }
    }

    /**
     * The {@code rag-answer} prompt: from {@code dir} (or the built-in copy) when {@code label} is null, else the
     * labelled version in {@code store}, refreshed every {@link #REFRESH}.
     */
    public static Supplier<PromptFile> ragAnswer(Path dir, String label, PromptStore store) {
        if (label == null) {
            PromptFile p = ChatGenerator.checked(PromptFolder.orBuiltin(dir, BuiltinPrompts.RAG_ANSWER));
            return () -> p;
        }
        return new Labelled(store, BuiltinPrompts.RAG_ANSWER, label);
    }

    /**
     * The {@code rag-answer} prompt at any version or label of {@code store}, for requests that ask for one (experiment
     * variants comparing prompts). A label is followed like {@code prompts.label} (re-read every {@link #REFRESH}); an
     * unknown version or label fails the request with a message naming it.
     */
    public static Function<String, PromptFile> ragAnswerVersions(PromptStore store) {
        if (store == null) {
            return ref -> {
                throw KeelException.invalid("a request asks for answer prompt '" + ref + "', but no prompt store is configured");
            };
        }
        Map<String, Labelled> byRef = new ConcurrentHashMap<>();
        return ref -> byRef.computeIfAbsent(ref, r -> new Labelled(store, BuiltinPrompts.RAG_ANSWER, r,
                "a request asks for answer prompt '" + r + "'")).get();
    }

    /** The labelled version, cached for {@link #REFRESH}; a failed refresh keeps serving the last good version. */
    private static final class Labelled implements Supplier<PromptFile> {
        private final PromptStore store;
        private final String id;
        private final String label;
        private volatile PromptFile current;
        private volatile long nextRefresh;

        Labelled(PromptStore store, String id, String label) {
            this(store, id, label, "prompts.label is '" + label + "'");
        }

        /** @param asker who asks for this version or label, for the error when the store has none */
        Labelled(PromptStore store, String id, String label, String asker) {
            this.store = store;
            this.id = id;
            this.label = label;
            try {
                this.current = load();
            } catch (KeelException e) {
                throw KeelException.invalid(asker + " but the prompt store has no version of '" + id
                        + "' with that version or label (" + e.getMessage() + "); push one with: keel prompts push --label " + label);
            }
            this.nextRefresh = System.nanoTime() + REFRESH.toNanos();
        }

        private PromptFile load() {
            return ChatGenerator.checked(store.resolve(id, label).prompt());
        }

        @Override
        public PromptFile get() {
            if (System.nanoTime() - nextRefresh >= 0) {
                nextRefresh = System.nanoTime() + REFRESH.toNanos();
                try {
                    PromptFile next = load();
                    if (!next.version().equals(current.version())) LOG.info("prompt label " + id + "@" + label + " now points at " + next.version());
                    current = next;
                } catch (RuntimeException e) {
                    LOG.warning("could not refresh prompt " + id + "@" + label + "; still serving " + current.version() + ": " + e.getMessage());
                }
            }
            return current;
        }
    }
}
