package io.keel.quality;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Quality;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Stage;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Fills {@link Answer#quality()} once the inner stages have answered: retrieval relevance of the context the generator
 * saw, groundedness of the answer in that context, and one observation for the {@link DriftMonitor}. Sits right after
 * the record stage, so the record carries the signals and their cost is booked under {@code quality}.
 *
 * <p>Blocked answers (generator {@code guard:*}) get {@link Quality#NONE} and are not observed for drift. A failure
 * while computing the signals never fails the request: the answer goes out with {@link Quality#NONE}.
 */
public final class QualityStage implements Stage<QueryRequest, Answer> {
    public static final String TIMING_KEY = "quality";
    private static final System.Logger LOG = System.getLogger(QualityStage.class.getName());

    private final Embedder embedder;
    private final QualityConfig config;
    private final Function<String, DriftMonitor> driftByCollection;
    private final Groundedness groundedness;

    /**
     * One drift monitor for every question, whatever its collection.
     *
     * @param embedder the query embedder of the pipeline: its cache makes the question vector free in dense and hybrid
     *                 mode
     * @param drift    receives each answered question's embedding
     */
    public QualityStage(Embedder embedder, QualityConfig config, DriftMonitor drift) {
        this(embedder, config, monitorFor(drift));
    }

    /**
     * @param driftByCollection the drift monitor of a collection name (each compared with its own corpus centroid);
     *                          may return null to skip drift for that collection. Called once per answered question.
     */
    public QualityStage(Embedder embedder, QualityConfig config, Function<String, DriftMonitor> driftByCollection) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.config = Objects.requireNonNull(config, "config");
        this.driftByCollection = Objects.requireNonNull(driftByCollection, "driftByCollection");
        this.groundedness = new Groundedness(embedder, config);
    }

    private static Function<String, DriftMonitor> monitorFor(DriftMonitor drift) {
        Objects.requireNonNull(drift, "drift");
        return collection -> drift;
    }

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public String timingKey() {
        return TIMING_KEY;
    }

    @Override
    public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
        Answer answer = chain.proceed(request);
        if (!config.enabled()) return answer;
        if (answer.generator() != null && answer.generator().startsWith("guard:")) return answer.withQuality(Quality.NONE);
        try {
            return answer.withQuality(assess(request, answer));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "quality signals failed for request " + request.id() + ": " + e, e);
            return answer.withQuality(Quality.NONE);
        }
    }

    private Quality assess(QueryRequest request, Answer answer) {
        String question = request.query().text();
        List<SearchHit> context = request.trail().context();
        DriftMonitor drift = driftByCollection.apply(request.query().collection());
        // Same text as the embed stage's, so a cache hit there; one embedding in bm25 mode, for drift.
        if (drift != null) drift.observe(embedder.embedQuery(question));
        RelevanceSignals r = RelevanceSignals.of(context, request.query().mode(), question, config);
        Groundedness.Result g = groundedness.assess(answer.text(), context);
        Integer sentences = g.sentences() == 0 ? null : g.sentences();
        Integer supported = g.sentences() == 0 ? null : g.supported();
        return new Quality(r.topScore(), r.scoreMargin(), r.weakHitShare(), g.groundedness(), sentences, supported);
    }
}
