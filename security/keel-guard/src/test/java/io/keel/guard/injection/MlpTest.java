package io.keel.guard.injection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MlpTest {
    private static final Mlp.Settings SETTINGS = new Mlp.Settings(16, 60, 16, 0.01, 0.01, 0.1, 1f, 1f, 7L);

    /** XOR of the signs of the two dense features, which no linear model separates, plus a sparse tail. */
    private static List<float[]> xor(int n, Random rnd, int[] y) {
        List<float[]> x = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float a = (float) rnd.nextGaussian(), b = (float) rnd.nextGaussian();
            y[i] = (a > 0) != (b > 0) ? 1 : 0;
            float[] row = new float[6];
            row[0] = a;
            row[1] = b;
            row[2 + rnd.nextInt(4)] = 1;   // a hashed-n-gram-like one-hot with no signal
            x.add(row);
        }
        return x;
    }

    @Test
    void learnsWhatALinearModelCannotAndIsDeterministic() {
        int[] y = new int[400];
        List<float[]> x = xor(400, new Random(3), y);
        double[] w = new double[400];
        Arrays.fill(w, 1);
        Mlp a = Mlp.fit(x, y, w, 2, SETTINGS);
        Mlp b = Mlp.fit(x, y, w, 2, SETTINGS);
        assertThat(a.w1()).containsExactly(b.w1());
        assertThat(a.wide()).containsExactly(b.wide());

        int[] yt = new int[200];
        List<float[]> xt = xor(200, new Random(4), yt);
        int correct = 0;
        for (int i = 0; i < 200; i++) if ((a.probability(xt.get(i)) >= 0.5) == (yt[i] == 1)) correct++;
        assertThat(correct).isGreaterThan(180);
        LogisticRegression lr = LogisticRegression.fit(x, y, 1e-4, 300);
        int linear = 0;
        for (int i = 0; i < 200; i++) if ((lr.probability(xt.get(i)) >= 0.5) == (yt[i] == 1)) linear++;
        assertThat(linear).isLessThan(140);
    }

    @Test
    void rowWeightsMoveTheDecision() {
        int[] y = new int[400];
        List<float[]> x = xor(400, new Random(5), y);
        double[] even = new double[400];
        Arrays.fill(even, 1);
        double[] heavyNegatives = new double[400];
        for (int i = 0; i < 400; i++) heavyNegatives[i] = y[i] == 0 ? 8 : 1;
        float[] border = {0.05f, 0.05f, 0, 0, 0, 0};
        assertThat(Mlp.fit(x, y, heavyNegatives, 2, SETTINGS).probability(border))
                .isLessThan(Mlp.fit(x, y, even, 2, SETTINGS).probability(border));
    }

    @Test
    void rejectsVectorsOfTheWrongSize() {
        Mlp m = new Mlp(2, 2, 1, 1, new float[4], new float[2], new float[2], new float[5], 0);
        assertThatThrownBy(() -> m.probability(new float[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
