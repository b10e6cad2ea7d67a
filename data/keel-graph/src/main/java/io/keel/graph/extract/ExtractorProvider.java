package io.keel.graph.extract;

import io.keel.core.error.KeelException;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * An entity extractor chosen by name in {@code graph.extractor}, found with {@link ServiceLoader}. The default,
 * {@code pattern}, lives in this module; model-backed extractors live in their own modules because their models are
 * large ({@code keel-graph-ner} brings the NLP4J named-entity model, about 1.5 GB of heap), so a deployment that does
 * not name them never loads them.
 */
public interface ExtractorProvider {
    /** The name {@code graph.extractor} uses, e.g. {@code ner}. */
    String name();

    /**
     * An extractor for one collection; {@code known} is that collection's known-entity dictionary, which grows as
     * documents are ingested. Called once per collection; a model is loaded at most once per JVM.
     */
    EntityExtractor create(KnownEntities known);

    /** The providers on the class path, by name. */
    static Map<String, ExtractorProvider> available() {
        Map<String, ExtractorProvider> out = new TreeMap<>();
        for (ExtractorProvider p : ServiceLoader.load(ExtractorProvider.class)) out.putIfAbsent(p.name(), p);
        return out;
    }

    /**
     * The provider named {@code name}.
     *
     * @throws KeelException (invalid) naming the module to add when no provider of that name is on the class path
     */
    static ExtractorProvider named(String name) {
        Map<String, ExtractorProvider> available = available();
        ExtractorProvider p = available.get(name);
        if (p != null) return p;
        if ("llm".equals(name)) {
            throw KeelException.invalid("graph.extractor: llm needs a chat model: the application builds it from graph.llm.model "
                    + "(io.keel.graph.llm.LlmExtractorProvider); it is not found on the class path");
        }
        throw KeelException.invalid("graph.extractor is '" + name + "', but no extractor of that name is on the class path (available: "
                + String.join(", ", available.keySet()) + ")" + ("ner".equals(name)
                ? "; the named-entity extractor comes with the module io.keel:keel-graph-ner (data/keel-graph-ner), add it beside keel-graph"
                : ""));
    }

    /** {@link PatternEntityExtractor}: no model. */
    final class Pattern implements ExtractorProvider {
        @Override
        public String name() {
            return "pattern";
        }

        @Override
        public EntityExtractor create(KnownEntities known) {
            return new PatternEntityExtractor(known);
        }
    }
}
