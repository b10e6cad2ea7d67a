package io.keel.guard.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvalTablesTest {
    static HeldOutEvalReport injection() {
        return new HeldOutEvalReport("Prompt injection", "held-out by hash", List.of(
                new HeldOutEvalReport.Row("deepset injections", "held-out", true, 60, 57, 0.95),
                new HeldOutEvalReport.Row("benign-instructions", "held-out", false, 800, 12, 0.01),
                new HeldOutEvalReport.Row("squad questions", "held-out articles, every 5th", false, 981, 0, 0.01),
                new HeldOutEvalReport.Row("xstest unsafe prompts", "held-out", false, 60, 1, Double.NaN)));
    }

    @Test
    void injectionTableNamesTheSplitAndMarksEachTarget() {
        String table = EvalTables.render(injection());
        assertThat(table).contains("split: held-out by hash")
                .containsPattern("deepset injections +held-out +60 +57 recall +0.950 +>= 0.950 ok")
                .containsPattern("benign-instructions +held-out +800 +12 FPR +0.015 +<= 0.010 MISS")
                .containsPattern("xstest unsafe prompts +held-out +60 +1 FPR +0.017 +-")
                .contains("* squad questions: held-out articles, every 5th");
    }

    @Test
    void piiTableTotalsTheRows() {
        PiiEvalReport r = new PiiEvalReport(List.of(new PiiEvalReport.Row("A", 10, 9, 9, 1, 1), new PiiEvalReport.Row("B", 5, 5, 5, 0, 0)),
                List.of(new PiiEvalReport.Unsupported("PERSON", 41, "needs a statistical NER model")), List.of());
        assertThat(r.total().cases()).isEqualTo(15);
        assertThat(r.total().passed()).isEqualTo(14);
        assertThat(r.total().precision()).isEqualTo(14.0 / 15);
        String table = new GuardEvalReport(r, List.of(), null).render();
        assertThat(table).contains("ALL SUPPORTED").contains("93.3").contains("PERSON").doesNotContain("Prompt injection");
    }

    public static void main(String[] args) {
        System.out.print(EvalTables.render(injection()));
    }
}
