package io.keel.graph;

import io.keel.core.config.ConfigNode;

/**
 * The {@code graph:} section of keel.yaml.
 *
 * @param enabled        build the graph at ingestion and offer {@code mode: graph}
 * @param extractor      {@code pattern} (default, no model), {@code ner} (the NLP4J named-entity model, module
 *                       {@code keel-graph-ner}; see {@link io.keel.graph.extract.ExtractorProvider}) or {@code llm} (a
 *                       configured chat model, {@link Llm})
 * @param candidates     hybrid hits the graph re-ranks
 * @param expand         chunks outside that pool the walk may add (fetched under the same filters)
 * @param seedPassages   how many of the best hybrid hits also seed the walk
 * @param passageWeight  share of the seed mass given to those passages (the rest goes to the question's entities)
 * @param damping        probability of following an edge rather than returning to a seed
 * @param epsilon        residual below which the walk (forward push) stops spreading mass from a node
 * @param graphWeight    weight of the graph ranking against the hybrid ranking (1) in reciprocal-rank fusion
 * @param rrfK           the fusion's rank constant
 * @param pairWindow     documents of the fused ranking searched for one linked to the first, moved to rank 2 (2 or less: off)
 * @param llm            {@code graph.llm}: the chat model of {@code extractor: llm}
 */
public record GraphSettings(boolean enabled, String extractor, int candidates, int expand, int seedPassages, double passageWeight,
                            double damping, double epsilon, double graphWeight, int rrfK, int pairWindow, Llm llm) {
    public static final String LLM = "llm";

    public GraphSettings {
        java.util.Objects.requireNonNull(extractor, "extractor");
        java.util.Objects.requireNonNull(llm, "llm");
    }

    /** Settings with no chat model for extraction. */
    public GraphSettings(boolean enabled, String extractor, int candidates, int expand, int seedPassages, double passageWeight,
                         double damping, double epsilon, double graphWeight, int rrfK, int pairWindow) {
        this(enabled, extractor, candidates, expand, seedPassages, passageWeight, damping, epsilon, graphWeight, rrfK, pairWindow, Llm.NONE);
    }

    public static GraphSettings defaults() {
        return new GraphSettings(false, "pattern", 50, 20, 3, 0.3, 0.7, 1e-5, 2.0, 60, 8);
    }

    /** This configuration with another extractor. */
    public GraphSettings withExtractor(String newExtractor, Llm newLlm) {
        return new GraphSettings(enabled, newExtractor, candidates, expand, seedPassages, passageWeight, damping, epsilon, graphWeight,
                rrfK, pairWindow, newLlm);
    }

    /**
     * {@code graph.llm}: entities and relations asked of a chat model, a batch of chunks per call.
     *
     * @param model     a chat model of the {@code models:} section; null when none is configured
     * @param batch     chunks per call
     * @param maxTokens the answer's length limit per call
     */
    public record Llm(String model, int batch, int maxTokens) {
        public static final Llm NONE = new Llm(null, 8, 4096);

        static Llm from(ConfigNode node, boolean required) {
            String model = required ? node.requiredString("model", "the chat model (a name from models:) that extracts the graph "
                    + "when graph.extractor is llm") : node.string("model", null);
            return new Llm(model, node.integer("batch", NONE.batch(), 1, 64), node.integer("max_tokens", NONE.maxTokens(), 256, 65536));
        }
    }

    public static GraphSettings from(ConfigNode node) {
        GraphSettings d = defaults();
        String extractor = node.choice("extractor", d.extractor(), "pattern", "ner", LLM);
        return new GraphSettings(
                node.bool("enabled", d.enabled()),
                extractor,
                node.integer("candidates", d.candidates(), 10, 1000),
                node.integer("expand", d.expand(), 0, 200),
                node.integer("seed_passages", d.seedPassages(), 0, 100),
                node.decimal("passage_weight", d.passageWeight(), 0, 1),
                node.decimal("damping", d.damping(), 0, 0.99),
                node.decimal("epsilon", d.epsilon(), 1e-9, 1e-2),
                node.decimal("graph_weight", d.graphWeight(), 0, 10),
                node.integer("rrf_k", d.rrfK(), 1, 1000),
                node.integer("pair_window", d.pairWindow(), 0, 100),
                Llm.from(node.child("llm"), extractor.equals(LLM)));
    }
}
