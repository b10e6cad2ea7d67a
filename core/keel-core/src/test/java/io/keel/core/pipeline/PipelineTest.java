package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Timings;
import io.keel.core.guard.Direction;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardVerdict;
import io.keel.core.query.Query;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineTest {

    /** A clock that only moves when a stage says it worked: stage times are exact, whatever the machine is doing. */
    private final long[] now = {1_000_000_000L};

    private Stage<QueryRequest, Answer> sleeping(String name, String key, long nanos, List<String> trace, boolean terminal) {
        return new Stage<>() {
            public String name() { return name; }
            public String timingKey() { return key; }
            public Answer handle(QueryRequest r, Chain<QueryRequest, Answer> c) {
                trace.add(name);
                now[0] += nanos;
                if (terminal) return new Answer(r.id(), "answer to " + r.query().text(), "test", List.of(), null, null, null);
                return c.proceed(r);
            }
        };
    }

    @Test
    void runsStagesInOrderAndBooksOnlyEachStagesOwnTime() {
        List<String> trace = new ArrayList<>();
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(
                sleeping("a", Timings.EMBEDDING, 5_000_000, trace, false),
                sleeping("b", Timings.VECTOR_SEARCH, 20_000_000, trace, false),
                sleeping("c", Timings.INFERENCE, 1_000_000, trace, true)), StageObserver.NONE, () -> now[0]);

        Answer a = p.run(QueryRequest.start("r1", "test", Query.of("q", 3)));

        assertThat(trace).containsExactly("a", "b", "c");
        Timings t = a.timings();
        assertThat(t.nanosOf(Timings.EMBEDDING)).isEqualTo(5_000_000L);
        assertThat(t.nanosOf(Timings.VECTOR_SEARCH)).isEqualTo(20_000_000L);
        assertThat(t.nanosOf(Timings.INFERENCE)).isEqualTo(1_000_000L);
        assertThat(t.nanosOf(Timings.TOTAL)).isEqualTo(26_000_000L);
        assertThat(t.nanos().keySet()).containsAll(Timings.STANDARD);
    }

    @Test
    void theRequestLogRecordCarriesTheTotalAndTheCallerAndObserversSeeEveryStage() {
        List<io.keel.core.spi.RequestRecord> log = new ArrayList<>();
        List<String> observed = new ArrayList<>();
        StageObserver observer = (stage, request) -> {
            observed.add("start " + stage.name());
            return error -> observed.add("end " + stage.name());
        };
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(new RecordStage<>(log::add, () -> now[0]),
                sleeping("gen", Timings.INFERENCE, 3_000_000, new ArrayList<>(), true)), observer, () -> now[0]);

        p.run(QueryRequest.start("r9", "test", Query.of("q", 3), new io.keel.core.answer.Caller("acme", null, "bot", null)));

        assertThat(log).singleElement().satisfies(r -> {
            assertThat(r.timings().nanosOf(Timings.TOTAL)).isEqualTo(3_000_000L);
            assertThat(r.caller().tenant()).isEqualTo("acme");
            assertThat(r.caller().app()).isEqualTo("bot");
            assertThat(r.answer()).isEqualTo("answer to q");
        });
        assertThat(observed).containsExactly("start record", "start gen", "end gen", "end record");
    }

    @Test
    void blockingInputGuardShortCircuitsAndLaterStagesNeverRun() {
        List<String> trace = new ArrayList<>();
        Guard blocker = new Guard() {
            public String name() { return "no"; }
            public GuardVerdict inspect(String text, Direction d) {
                return new GuardVerdict(GuardVerdict.Decision.BLOCK, "refused", List.of(), "v1", "test");
            }
        };
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(
                new InputGuardStage<QueryRequest, Answer>(blocker, (r, v) -> Answer.refusal(r.id(), v.text(), blocker.name())),
                sleeping("gen", Timings.INFERENCE, 0, trace, true)));

        Answer a = p.run(QueryRequest.start("r2", "test", Query.of("q", 3)));

        assertThat(a.text()).isEqualTo("refused");
        assertThat(a.status()).isEqualTo("blocked");
        assertThat(a.lineage().guardPolicy()).isEqualTo("v1");
        assertThat(trace).isEmpty();
    }

    @Test
    void stageThatProceedsPastTheEndIsNamedInTheError() {
        Pipeline<QueryRequest, Answer> p = new Pipeline<>(List.of(sleeping("lonely", "x", 0, new ArrayList<>(), false)));
        assertThatThrownBy(() -> p.run(QueryRequest.start("r3", "test", Query.of("q", 3))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stage lonely called proceed() but no stage follows it");
    }

    @Test
    void nullAnswerIsRejectedWithTheStageName() {
        Stage<QueryRequest, Answer> nullish = new Stage<>() {
            public String name() { return "nullish"; }
            public String timingKey() { return "x"; }
            public Answer handle(QueryRequest r, Chain<QueryRequest, Answer> c) { return null; }
        };
        assertThatThrownBy(() -> new Pipeline<>(List.of(nullish)).run(QueryRequest.start("r4", "t", Query.of("q", 1))))
                .hasMessageContaining("stage nullish returned a null answer");
    }
}
