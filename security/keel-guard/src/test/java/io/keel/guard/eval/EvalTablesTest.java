package io.keel.guard.eval;

import io.keel.guard.injection.InjectionTrainer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EvalTablesTest {
    static InjectionEvalReport injection(boolean sameData) {
        return new InjectionEvalReport(546, 5, "f755a2969ec7c49031c0ca98af430dc9e7982206aafa44e7cbb253c061a0ab0b", sameData, 1e-5,
                Map.of(1e-5, 0.9487, 1e-4, 0.9286, 1e-3, 0.9103),
                new InjectionTrainer.Metrics(183, 8, 335, 20), new InjectionTrainer.Metrics(191, 12, 331, 12),
                new InjectionTrainer.HeldOut("ab12", 500, 4905, 14, 981, 3));
    }

    @Test
    void injectionTableShowsBothLayersAndThePublishedReferences() {
        String table = EvalTables.render(injection(true));
        assertThat(table).contains("546 examples", "5-fold", "f755a2969ec7", "the data the bundled weights were trained on")
                .contains("0.949   0.901   0.023").contains("0.956   0.941   0.035")
                .contains("0.966").contains("0.991").contains("1e-05: 0.949")
                .contains("500 others added to training", "classifier FPR 0.0029 (14 of 4905)", "full detector FPR 0.0031 (3 of 981)");
        assertThat(EvalTables.render(injection(false))).contains("NOT the data");
    }

    @Test
    void piiTableTotalsTheRows() {
        PiiEvalReport r = new PiiEvalReport(List.of(new PiiEvalReport.Row("A", 10, 9, 9, 1, 1), new PiiEvalReport.Row("B", 5, 5, 5, 0, 0)),
                List.of(new PiiEvalReport.Unsupported("PERSON", 41, "needs a statistical NER model")), List.of());
        assertThat(r.total().cases()).isEqualTo(15);
        assertThat(r.total().passed()).isEqualTo(14);
        assertThat(r.total().precision()).isEqualTo(14.0 / 15);
        String table = new GuardEvalReport(r, null).render();
        assertThat(table).contains("ALL SUPPORTED").contains("93.3").contains("PERSON").doesNotContain("Prompt injection");
    }

    public static void main(String[] args) {
        System.out.print(EvalTables.render(injection(true)));
    }
}
