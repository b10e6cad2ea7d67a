package io.keel.guard.injection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogisticRegressionTest {
    @Test
    void learnsASeparableProblemAndIsDeterministic() {
        Random rnd = new Random(7);
        List<float[]> x = new ArrayList<>();
        int[] y = new int[200];
        for (int i = 0; i < 200; i++) {
            y[i] = i % 2;
            x.add(new float[]{(float) (rnd.nextGaussian() * 0.3 + (y[i] == 1 ? 1 : -1)), (float) rnd.nextGaussian(), 0f});
        }
        LogisticRegression a = LogisticRegression.fit(x, y, 1e-4, 300);
        LogisticRegression b = LogisticRegression.fit(x, y, 1e-4, 300);
        assertThat(a.weights()).containsExactly(b.weights());
        assertThat(a.probability(new float[]{1.2f, 0, 0})).isGreaterThan(0.9);
        assertThat(a.probability(new float[]{-1.2f, 0, 0})).isLessThan(0.1);
    }

    @Test
    void rejectsVectorsOfTheWrongSize() {
        LogisticRegression m = new LogisticRegression(new float[]{1, 2}, 0);
        assertThatThrownBy(() -> m.probability(new float[]{1})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foldsAreFixedBySeedAndBalancedInSize() {
        int[] f = InjectionTrainer.folds(546);
        assertThat(InjectionTrainer.folds(546)).containsExactly(f);
        int[] sizes = new int[InjectionTrainer.FOLDS];
        for (int k : f) sizes[k]++;
        assertThat(sizes).containsOnly(109, 110);
    }
}
