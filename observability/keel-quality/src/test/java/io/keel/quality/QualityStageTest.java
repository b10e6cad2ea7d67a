package io.keel.quality;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Quality;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.RecordStage;
import io.keel.core.pipeline.Stage;
import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.core.spi.RequestRecord;
import io.keel.core.spi.TokenCounter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A real {@link Pipeline}: record, quality, then plain stub stages standing in for embed/retrieve/context/generate. */
class QualityStageTest {
    private static final String QUESTION = "How long does a rotated API key keep working?";

    /** Retrieve + build-context in one: sets the context on the request and on the trail, as BuildContextStage does. */
    private record ContextStage(List<SearchHit> context) implements Stage<QueryRequest, Answer> {
        public String name() {
            return "stub-context";
        }

        public String timingKey() {
            return "context";
        }

        public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
            request.trail().context(context);
            return chain.proceed(request.withContext(context));
        }
    }

    private record GenerateStub(String generator, Function<QueryRequest, String> text) implements Stage<QueryRequest, Answer> {
        public String name() {
            return "stub-generate";
        }

        public String timingKey() {
            return "inference";
        }

        public Answer handle(QueryRequest request, Chain<QueryRequest, Answer> chain) {
            return new Answer(request.id(), text.apply(request), generator, List.of(), null, null, null);
        }
    }

    private final List<RequestRecord> records = new ArrayList<>();

    private Answer run(QualityStage quality, List<SearchHit> context, String generator, String text, RetrievalMode mode) {
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(new RecordStage<>(records::add), quality, new ContextStage(context),
                new GenerateStub(generator, r -> text)));
        return p.run(QueryRequest.start("req-1", "/v1/query", new Query(QUESTION, 5, mode, Filters.NONE, null)));
    }

    private static QualityStage stage(DriftMonitor drift) {
        return new QualityStage(Fixtures.embedder(), QualityConfig.defaults(), drift);
    }

    @Test
    void fillsQualityOnTheAnswerAndTheRecordAndBooksItsTime() {
        DriftMonitor drift = new DriftMonitor(QualityConfig.defaults());
        Answer a = run(stage(drift), Fixtures.context(), "extractive",
                "A rotated key stays valid for twenty-four hours so that running clients can switch over. [1]", RetrievalMode.DENSE);
        Quality q = a.quality();
        assertThat(q.topScore()).isCloseTo(0.62, within(1e-6));
        assertThat(q.scoreMargin()).isCloseTo((0.62 - 0.55) / 0.62, within(1e-6));
        assertThat(q.weakHitShare()).isCloseTo(0.2, within(1e-9)); // 0.21 < 0.30
        assertThat(q.groundedness()).isEqualTo(1.0);
        assertThat(q.answerSentences()).isEqualTo(1);
        assertThat(q.supportedSentences()).isEqualTo(1);
        assertThat(a.timings().nanos()).containsKey(QualityStage.TIMING_KEY);
        assertThat(records).singleElement().extracting(RequestRecord::quality).isEqualTo(q);
        assertThat(drift.queries()).isEqualTo(1);
    }

    @Test
    void modelAnswerWithAnUnsupportedSentenceIsPartlyGrounded() {
        Answer a = run(stage(new DriftMonitor(QualityConfig.defaults())), Fixtures.context(), "openai:gpt",
                "After you rotate a key, the old one keeps working for a whole day, giving clients time to move to the new one [1]. "
                        + "Rotated keys can also be restored by calling the support hotline.", RetrievalMode.HYBRID);
        assertThat(a.quality().answerSentences()).isEqualTo(2);
        assertThat(a.quality().supportedSentences()).isEqualTo(1);
        assertThat(a.quality().groundedness()).isEqualTo(0.5);
        assertThat(a.quality().weakHitShare()).isNotNull(); // lexical fallback in hybrid mode
    }

    @Test
    void blockedAnswersGetNoQualityAndAreNotObservedForDrift() {
        DriftMonitor drift = new DriftMonitor(QualityConfig.defaults());
        Answer a = run(stage(drift), Fixtures.context(), "guard:input", "I can't help with that.", RetrievalMode.DENSE);
        assertThat(a.quality()).isEqualTo(Quality.NONE);
        assertThat(drift.queries()).isZero();
    }

    @Test
    void noContextGivesNoRelevanceAndNoGroundedness() {
        Answer a = run(stage(new DriftMonitor(QualityConfig.defaults())), List.of(), "extractive",
                "I could not find anything about that in the indexed documents.", RetrievalMode.DENSE);
        assertThat(a.quality()).isEqualTo(Quality.NONE);
    }

    @Test
    void driftMonitorsCanBePerCollection() {
        DriftMonitor docs = new DriftMonitor(QualityConfig.defaults());
        QualityStage stage = new QualityStage(Fixtures.embedder(), QualityConfig.defaults(),
                collection -> collection.equals(Query.DEFAULT_COLLECTION) ? docs : null);
        Answer a = run(stage, Fixtures.context(), "extractive", "Revoked keys stop working immediately.", RetrievalMode.BM25);
        assertThat(docs.queries()).isEqualTo(1);
        assertThat(a.quality().groundedness()).isEqualTo(1.0);
        Pipeline<QueryRequest, Answer> other = new Pipeline<>(List.of(stage, new ContextStage(Fixtures.context()),
                new GenerateStub("extractive", r -> "Revoked keys stop working immediately.")));
        Answer b = other.run(QueryRequest.start("req-2", "/v1/query", new Query(QUESTION, 5, RetrievalMode.DENSE, Filters.NONE, "hr")));
        assertThat(b.quality().groundedness()).isEqualTo(1.0); // no monitor for "hr": signals still computed
        assertThat(docs.queries()).isEqualTo(1);
    }

    @Test
    void disabledStagePassesThrough() {
        DriftMonitor drift = new DriftMonitor(QualityConfig.defaults());
        QualityStage off = new QualityStage(Fixtures.embedder(), QualityConfig.defaults().withEnabled(false), drift);
        Answer a = run(off, Fixtures.context(), "extractive", "Revoked keys stop working immediately.", RetrievalMode.DENSE);
        assertThat(a.quality()).isEqualTo(Quality.NONE);
        assertThat(drift.queries()).isZero();
    }

    @Test
    void aFailingEmbedderNeverFailsTheRequest() {
        Embedder broken = new Embedder() {
            public EmbeddingModelInfo info() {
                throw new UnsupportedOperationException();
            }

            public float[] embedQuery(String text) {
                throw new IllegalStateException("model gone");
            }

            public List<float[]> embedAll(List<String> texts) {
                throw new IllegalStateException("model gone");
            }

            public TokenCounter tokenCounter() {
                throw new UnsupportedOperationException();
            }

            public void close() {
            }
        };
        QualityStage stage = new QualityStage(broken, QualityConfig.defaults(), new DriftMonitor(QualityConfig.defaults()));
        Answer a = run(stage, Fixtures.context(), "extractive", "Revoked keys stop working immediately.", RetrievalMode.DENSE);
        assertThat(a.text()).isEqualTo("Revoked keys stop working immediately.");
        assertThat(a.quality()).isEqualTo(Quality.NONE);
    }
}
