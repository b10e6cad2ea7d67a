package io.keel.graph.llm;

import java.util.Collection;
import java.util.Map;

/**
 * Answers a chat model already gave, by chunk hash (SHA-256 of the model, the prompt version and the chunk's text),
 * so that extracting an unchanged chunk again makes no call. Entries are JSON ({@link ExtractionPrompt#toJson}).
 * Implementations are thread-safe.
 */
public interface ExtractionCache {
    /** The entries of those of {@code hashes} that are cached. */
    Map<String, String> get(Collection<String> hashes);

    /** Keeps {@code entries} (hash to JSON); an entry already kept stays as it was. */
    void put(Map<String, String> entries);
}
