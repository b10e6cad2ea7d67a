package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Answer;
import io.keel.core.guard.GuardSelector;
import io.keel.core.pipeline.BuildContextStage;
import io.keel.core.pipeline.EmbedQueryStage;
import io.keel.core.pipeline.GenerateStage;
import io.keel.core.pipeline.HitsStage;
import io.keel.core.pipeline.InputGuardStage;
import io.keel.core.pipeline.OutputGuardStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Retrieval;
import io.keel.core.pipeline.RetrieveStage;
import io.keel.core.pipeline.ShadowStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.StageObserver;
import io.keel.core.pipeline.VariantResolver;
import io.keel.core.pipeline.RetrievalOverrideStage;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.Generator;
import io.keel.core.spi.IndexStore;
import io.keel.core.spi.RequestLog;

import java.util.List;

/**
 * The stages of the query and retrieve routes, outermost first: the one place that lists them (the chat route's are
 * in {@link io.keel.core.pipeline.chat.ChatRoute}). Both routes share the record, variant, guard, embedding and
 * retrieval stages; what differs is the end: an answer, or the hits.
 */
final class RoutePipelines {
    private RoutePipelines() {
    }

    /** record → variant → shadow (when experiments run) → retrieval overrides → quality → input guard → output guard → embed → retrieve → build context → generate. */
    static Pipeline<QueryRequest, Answer> query(KeelConfig config, Embedder embedder, IndexStore indexes, Generator generator,
                                                RequestLog log, GuardSelector guards, VariantResolver variants,
                                                Stage<QueryRequest, Answer> quality, StageObserver observer) {
        return new Pipeline<>(ShadowStage.front(log, variants, List.<Stage<QueryRequest, Answer>>of(
                new RetrievalOverrideStage<>(),
                quality,
                new InputGuardStage<QueryRequest, Answer>(guards, (request, verdict) -> Answer.refusal(request.id(), verdict.text(),
                        guards.select(request.caller()).name())),
                new OutputGuardStage<>(guards),
                new EmbedQueryStage<>(embedder),
                new RetrieveStage<>(indexes, indexes.searchSettings()),
                new BuildContextStage(config.retrieval().contextChars()),
                new GenerateStage(generator)), observer), observer);
    }

    /** record → variant → shadow (when experiments run) → retrieval overrides → input guard → embed → retrieve → hits. */
    static Pipeline<QueryRequest, Retrieval> retrieve(KeelConfig config, Embedder embedder, IndexStore indexes, RequestLog log,
                                                      GuardSelector guards, VariantResolver variants, StageObserver observer) {
        return new Pipeline<>(ShadowStage.front(log, variants, List.<Stage<QueryRequest, Retrieval>>of(
                new RetrievalOverrideStage<>(),
                new InputGuardStage<QueryRequest, Retrieval>(guards, (request, verdict) -> Retrieval.refused(request.id(), verdict.text())),
                new EmbedQueryStage<>(embedder),
                new RetrieveStage<>(indexes, indexes.searchSettings()),
                new HitsStage()), observer), observer);
    }

    /**
     * embed → retrieve → hits, with no request log and no guard: the search engine alone, for evaluations (benchmarks,
     * replay) that measure retrieval and must not be logged as traffic.
     */
    static Pipeline<QueryRequest, Retrieval> search(KeelConfig config, Embedder embedder, IndexStore indexes) {
        return new Pipeline<>(List.of(
                new EmbedQueryStage<>(embedder),
                new RetrieveStage<>(indexes, indexes.searchSettings()),
                new HitsStage()));
    }
}
