package io.keel.core.answer;

import java.util.Map;

/**
 * Which versions produced an answer. Later layers add model and policy versions; the keys here stay stable.
 *
 * @param embeddingModel embedding model id and checksum prefix, e.g. {@code all-minilm-l6-v2@1a2b3c4d}
 * @param indexVersion   {@code collection@version}; the version increases with every ingestion commit
 * @param generator      the generator (extractive, or a model name and version)
 * @param promptVersion  the prompt template version, or {@code "none"} for the extractive generator
 * @param retrieval      retrieval settings (mode, top_k, weights and their hash)
 */
public record Lineage(String embeddingModel, String indexVersion, String generator, String promptVersion,
                      Map<String, Object> retrieval) {
    public Lineage {
        retrieval = Map.copyOf(retrieval == null ? Map.of() : retrieval);
    }
}
