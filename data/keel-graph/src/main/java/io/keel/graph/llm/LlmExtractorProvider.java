package io.keel.graph.llm;

import io.keel.core.budget.SpendControl;
import io.keel.core.chat.ChatModel;
import io.keel.core.spi.RequestLog;
import io.keel.graph.GraphSettings;
import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.ExtractorProvider;
import io.keel.graph.extract.KnownEntities;
import io.keel.graph.extract.PatternEntityExtractor;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * {@code graph.extractor: llm}: built by the application, which has the chat models, budgets and request log (it is
 * not found by name on the class path like the others).
 */
public final class LlmExtractorProvider implements ExtractorProvider {
    private final LlmEntityExtractor.Calls calls;
    private final ExtractionCache cache;
    private final GraphSettings.Llm settings;
    private final LlmExtractionStats stats = new LlmExtractionStats();

    /**
     * @param model    usually the model gateway, so retries, fallback and pricing apply
     * @param versions the registry version serving a model name, or null
     * @param spend    the budgets each call reserves against, attributed to the tenant of the chunks' documents
     * @param log      where each call is recorded, route {@value LlmEntityExtractor#ROUTE}, with its usage and cost
     */
    public LlmExtractorProvider(ChatModel model, UnaryOperator<String> versions, SpendControl spend, RequestLog log,
                                ExtractionCache cache, GraphSettings.Llm settings) {
        this.calls = new LlmEntityExtractor.Calls(model, versions, spend, log);
        this.cache = Objects.requireNonNull(cache, "cache");
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(settings.model(), "settings.model");
    }

    @Override
    public String name() {
        return "llm";
    }

    @Override
    public EntityExtractor create(KnownEntities known) {
        return new LlmEntityExtractor(calls, cache, settings, new PatternEntityExtractor(known), stats);
    }

    public LlmExtractionStats stats() {
        return stats;
    }
}
