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
 * @param route          the routing rule that chose what served the request, or null when no routing table applied
 * @param routeReason    why that rule matched (and whether a cascade escalated), or null
 */
public record Lineage(String embeddingModel, String indexVersion, String generator, String modelVersion,
                      String promptId, String promptVersion, String guardPolicy, String experiment, String variant,
                      Map<String, Object> retrieval, String route, String routeReason) {
    public Lineage {
        retrieval = Map.copyOf(retrieval == null ? Map.of() : retrieval);
    }

    /** Lineage of a request no routing table decided. */
    public Lineage(String embeddingModel, String indexVersion, String generator, String modelVersion,
                   String promptId, String promptVersion, String guardPolicy, String experiment, String variant,
                   Map<String, Object> retrieval) {
        this(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, experiment,
                variant, retrieval, null, null);
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
        return new Lineage(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, policy, experiment, variant, retrieval, route, routeReason);
    }

    /** Stamped by retrieval: the embedding model and index state searched, and the retrieval settings used. */
    public Lineage withRetrieval(String newEmbeddingModel, String newIndexVersion, Map<String, Object> newRetrieval) {
        return new Lineage(newEmbeddingModel, newIndexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, experiment, variant, newRetrieval, route, routeReason);
    }

    /** Stamped by generation: what generated the answer (a model name or generator id), its version and prompt. */
    public Lineage withGenerator(String newGenerator, String newModelVersion, String newPromptId, String newPromptVersion) {
        return new Lineage(embeddingModel, indexVersion, newGenerator, newModelVersion, newPromptId, newPromptVersion, guardPolicy, experiment, variant, retrieval, route, routeReason);
    }

    public Lineage withExperiment(String newExperiment, String newVariant) {
        return new Lineage(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, newExperiment, newVariant, retrieval, route, routeReason);
    }

    /** Stamped by the route stage: the rule that decided and why. */
    public Lineage withRoute(String newRoute, String newRouteReason) {
        return new Lineage(embeddingModel, indexVersion, generator, modelVersion, promptId, promptVersion, guardPolicy, experiment, variant, retrieval, newRoute, newRouteReason);
    }
}
