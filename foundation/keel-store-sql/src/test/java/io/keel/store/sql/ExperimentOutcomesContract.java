package io.keel.store.sql;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an experiment report reads: the request log by experiment and the feedback table, run against every dialect. */
abstract class ExperimentOutcomesContract extends StoreContract {
    static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    static RequestRecord stamped(String id, int second, String experiment, String variant) {
        return RequestRecord.builder(id, "query").time(T0.plusSeconds(second))
                .lineage(new Lineage(null, null, "m", "1", null, null, null, experiment, variant, Map.of())).build();
    }

    @Test
    void forExperimentReturnsOnlyThatExperimentsRecordsOldestFirst() {
        Database db = db();
        SqlRequestStore store = track(new SqlRequestStore(db));
        store.record(stamped("r3", 3, "exp-a", "B"));
        store.record(stamped("r1", 1, "exp-a", "A"));
        store.record(stamped("r2", 2, "exp-b", "A"));
        store.record(RequestRecord.builder("r4", "chat").time(T0).build());
        List<RequestRecord> rows = store.forExperiment("exp-a");
        assertThat(rows).extracting(RequestRecord::id).containsExactly("r1", "r3");
        assertThat(rows).extracting(r -> r.lineage().variant()).containsExactly("A", "B");
        assertThat(rows.getFirst().lineage().generator()).isEqualTo("m");
        assertThat(store.forExperiment("none")).isEmpty();
    }

    @Test
    void forExperimentFindsRequestsStampedWithTheExperimentsOfSeveralLayers() {
        Database db = db();
        SqlRequestStore store = track(new SqlRequestStore(db));
        store.record(stamped("r1", 1, "exp_a+exp-b", "A+B"));
        store.record(stamped("r2", 2, "exp-b+exp_a", "B+A"));
        store.record(stamped("r3", 3, "x+exp_a+y", "1+A+2"));
        store.record(stamped("r4", 4, "expXa+exp-b", "A+B"));      // '_' is not a wildcard
        store.record(stamped("r5", 5, "exp_ab", "A"));
        assertThat(store.forExperiment("exp_a")).extracting(RequestRecord::id).containsExactly("r1", "r2", "r3");
        assertThat(store.forExperiment("exp-b")).extracting(RequestRecord::id).containsExactly("r1", "r2", "r4");
        SqlFeedbackStore feedback = new SqlFeedbackStore(db);
        feedback.add(new Feedback("r1", "exp_a+exp-b", "A+B", Caller.ANONYMOUS, 1.0, null, null, T0));
        feedback.add(new Feedback("r4", "expXa+exp-b", "A+B", Caller.ANONYMOUS, 1.0, null, null, T0.plusSeconds(1)));
        assertThat(feedback.forExperiment("exp_a")).extracting(Feedback::requestId).containsExactly("r1");
    }

    @Test
    void feedbackRoundTripsPerExperiment() {
        Database db = db();
        SqlFeedbackStore store = new SqlFeedbackStore(db);
        Caller rater = new Caller("acme", "u1", "web", null);
        store.add(new Feedback("r1", "exp-a", "A", rater, 0.25, null, "fine", T0.plusSeconds(2)));
        store.add(new Feedback("r2", "exp-a", "B", rater, null, false, null, T0.plusSeconds(1)));
        store.add(new Feedback("r3", "exp-b", "B", rater, 1.0, true, null, T0));
        store.add(new Feedback("r4", null, null, Caller.ANONYMOUS, null, true, null, T0));
        List<Feedback> rows = new SqlFeedbackStore(db).forExperiment("exp-a");
        assertThat(rows).containsExactly(
                new Feedback("r2", "exp-a", "B", rater, null, false, null, T0.plusSeconds(1)),
                new Feedback("r1", "exp-a", "A", rater, 0.25, null, "fine", T0.plusSeconds(2)));
    }

    @Test
    void feedbackNeedsAScoreInRangeOrThumbs() {
        assertThatThrownBy(() -> new Feedback("r1", null, null, null, null, null, "meh", T0))
                .isInstanceOf(KeelException.class).hasMessageContaining("'score'");
        assertThatThrownBy(() -> new Feedback("r1", null, null, null, 1.5, null, null, T0))
                .isInstanceOf(KeelException.class).hasMessageContaining("0 to 1");
    }
}
