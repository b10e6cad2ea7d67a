package io.keel.app;

import io.keel.core.budget.SpendControl;
import io.keel.core.error.KeelException;
import io.keel.core.spi.RequestLog;
import io.keel.graph.GraphSettings;
import io.keel.graph.KnowledgeGraph;
import io.keel.graph.llm.LlmExtractorProvider;
import io.keel.graph.sql.SqlExtractionCache;
import io.keel.graph.sql.SqlGraphStore;
import io.keel.model.ModelGateway;
import io.keel.store.sql.Database;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Builds the knowledge graph {@code graph.*} describes: its extractor found by name ({@code pattern}, {@code ner}),
 * or, for {@code graph.extractor: llm}, one that asks a configured chat model through the gateway under the same
 * budgets and request log as every model call.
 */
final class KnowledgeGraphs {
    private KnowledgeGraphs() {
    }

    /** @throws KeelException (invalid) when the extractor's module or chat model is missing */
    static KnowledgeGraph open(GraphSettings settings, Database database, ModelGateway gateway, SpendControl spend, RequestLog log,
                               MeterRegistry registry) {
        SqlGraphStore store = new SqlGraphStore(database);
        if (!settings.extractor().equals(GraphSettings.LLM)) return new KnowledgeGraph(store, settings);
        String model = settings.llm().model();
        if (gateway == null || !gateway.has(model)) {
            throw KeelException.invalid("graph.llm.model names '" + model + "', which is not a configured chat model (configured: "
                    + (gateway == null ? "none, add a models: section to keel.yaml" : String.join(", ", gateway.modelNames()))
                    + "); graph.extractor: llm asks it for each chunk's entities and relations");
        }
        LlmExtractorProvider extractors = new LlmExtractorProvider(gateway, gateway::versionOf, spend, log,
                new SqlExtractionCache(database), settings.llm());
        MetricBindings.graphExtraction(extractors.stats(), registry);
        return new KnowledgeGraph(store, settings, extractors);
    }
}
