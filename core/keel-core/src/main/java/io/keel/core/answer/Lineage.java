package io.keel.core.answer;

import java.util.Map;

/**
 * Which versions produced an answer. Fields that do not apply are null (no prompt for the extractive generator, no
 * experiment until one assigns the request).
 *
 * @param embeddingModel embedding model id and checksum prefix, e.g. {@code all-minilm-l6-v2@1a2b3c4d}
 * @param indexVersion   {@code collection@version}; the version increases with every ingestion commit
 * @param generator      the generator: {@code extractive}, or the name of the model that answered
 * @param modelVersion   the registry version of that model, or null when it is not registered
 * @param promptId       the prompt the answer was rendered from, or null
 * @param promptVersion  that prompt's version (content hash, with a semver when it has one), or {@code "none"}
 * @param guardPolicy    the guard policy as {@code name@version}, or null when guards are off
 * @param experiment     the experiment that assigned this request, or null
 * @param variant        the experiment's variant, or null
 * @param retrieval      retrieval settings (mode, top_k, weights and their hash)
 */
public record Lineage(String embeddingModel, String indexVersion, String generator, String modelVersion,
                      String promptId, String promptVersion, String guardPolicy, String experiment, String variant,
                      Map<String, Object> retrieval) {
    public Lineage {
        retrieval = Map.copyOf(retrieval == null ? Map.of() : retrieval);
    }

    /** Nothing known yet: the start for stages that stamp what they decided. */
    public static final Lineage EMPTY = new Lineage("none", "none", "none", null, null, "none", null, null, null, Map.of());

    /** Lineage of an answer before model registry, guard and experiment versions are known. */
    public static Lineage of(String embeddingModel, String indexVersion, String generator, String promptVersion,
                             Map<String, Object> retrieval) {
        return new Lineage(embeddingModel, indexVersion, generator, null, null, promptVersion, null, null, null, retrieval);
    }

    /** The model as {@code name@version}, or the bare name when it has no registry version. */
    public String modelRef() {
        return modelVersion == null ? generator : generator + "@" + modelVersion;
    }

    public Lineage withGuardPolicy(String policy) {
        return new Lineage(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, policy, experiment, variant, retrieval);
    }

    /** Stamped by retrieval: the embedding model and index state searched, and the retrieval settings used. */
    public Lineage withRetrieval(String newEmbeddingModel, String newIndexVersion, Map<String, Object> newRetrieval) {
        return new Lineage(newEmbeddingModel, newIndexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, experiment, variant, newRetrieval);
    }

    /** Stamped by generation: what generated the answer (a model name or generator id), its version and prompt. */
    public Lineage withGenerator(String newGenerator, String newModelVersion, String newPromptId, String newPromptVersion) {
        return new Lineage(embeddingModel, indexVersion, newGenerator, newModelVersion, newPromptId, newPromptVersion, guardPolicy, experiment, variant, retrieval);
    }

    public Lineage withExperiment(String newExperiment, String newVariant) {
        return new Lineage(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, newExperiment, newVariant, retrieval);
    }
}
