package io.keel.prompts;

import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prompts shipped inside Keel, so it works without a {@code prompts/} folder. Each is a copy of the file of the
 * same name in the repository's {@code prompts/} folder (a test keeps them identical). Loaded once and cached.
 */
public final class BuiltinPrompts {
    /** The prompt the RAG pipeline answers with; variables {@code context} and {@code question}. */
    public static final String RAG_ANSWER = "rag-answer";
    /** Ids of every built-in prompt. */
    public static final List<String> IDS = List.of(RAG_ANSWER);

    private static final Map<String, PromptFile> CACHE = new ConcurrentHashMap<>();

    private BuiltinPrompts() {
    }

    /** The grounded-answer prompt with numbered citations. */
    public static PromptFile ragAnswer() {
        return get(RAG_ANSWER);
    }

    /** @throws KeelException (not found) for an id Keel does not ship */
    public static PromptFile get(String id) {
        if (!IDS.contains(id)) {
            throw KeelException.notFound("Keel ships no prompt '" + id + "'; built-in prompts: " + String.join(", ", IDS));
        }
        return CACHE.computeIfAbsent(id, BuiltinPrompts::read);
    }

    /** The resource text of a built-in prompt, exactly as shipped. */
    public static String text(String id) {
        String resource = "builtin/" + id + ".yaml";
        try (InputStream in = BuiltinPrompts.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("built-in prompt resource io/keel/prompts/" + resource + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read built-in prompt " + resource, e);
        }
    }

    private static PromptFile read(String id) {
        return PromptLoader.parse(text(id), "classpath:io/keel/prompts/builtin/" + id + ".yaml");
    }
}
