package io.keel.experiments.stats;

import io.keel.core.error.KeelException;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Corrections for testing many metrics or variants at once, as adjusted p-values in the input's order: compare each
 * with alpha as usual.
 *
 * <ul>
 *   <li>{@link #holm}: controls the family-wise error rate (the chance of <em>any</em> false positive) at alpha, under
 *       any dependence between the tests. Use it when one false claim is costly (a promotion decision).</li>
 *   <li>{@link #benjaminiHochberg}: controls the false discovery rate (the expected share of false positives among
 *       the rejections) at alpha, for independent or positively dependent tests. More power when many metrics are
 *       watched and a few false leads are tolerable.</li>
 * </ul>
 */
public final class MultipleTesting {
    private MultipleTesting() {
    }

    /** Holm-Bonferroni step-down adjusted p-values. */
    public static double[] holm(double... p) {
        Integer[] order = order(p, Comparator.naturalOrder());
        int m = p.length;
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1, (m - rank) * p[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /** Benjamini-Hochberg step-up adjusted p-values (q-values). */
    public static double[] benjaminiHochberg(double... p) {
        Integer[] order = order(p, Comparator.reverseOrder());
        int m = p.length;
        double[] adjusted = new double[m];
        double running = 1;
        for (int k = 0; k < m; k++) {
            int i = order[k];
            int rank = m - k; // 1-based rank in ascending order
            running = Math.min(running, Math.min(1, p[i] * m / rank));
            adjusted[i] = running;
        }
        return adjusted;
    }

    private static Integer[] order(double[] p, Comparator<Double> direction) {
        for (double v : p) {
            if (!(v >= 0 && v <= 1)) throw KeelException.invalid("p-values must be between 0 and 1; got " + v + " in " + Arrays.toString(p));
        }
        return IntStream.range(0, p.length).boxed().sorted(Comparator.comparing(i -> p[i], direction)).toArray(Integer[]::new);
    }
}
