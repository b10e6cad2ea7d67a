package io.keel.guard.injection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Seeded k-fold cross-validation and weighted fitting of a {@link LogisticRegression} over training rows of any
 * shape, shared by the classifier trainers.
 */
public final class CrossValidation {
    private CrossValidation() {
    }

    /** Deterministic, label-agnostic assignment of {@code n} rows to {@code folds} folds: a seeded shuffle dealt round-robin. */
    public static int[] folds(int n, int folds, long seed) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) idx.add(i);
        Collections.shuffle(idx, new Random(seed));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) fold[idx.get(i)] = i % folds;
        return fold;
    }

    /** Each row's probability under the model {@code fit} makes of the rows in the other folds. */
    public static <R> double[] outOfFold(List<R> rows, int[] fold, int folds, Function<List<R>, ? extends BinaryModel> fit,
                                         Function<R, float[]> features) {
        double[] p = new double[rows.size()];
        for (int k = 0; k < folds; k++) {
            List<R> train = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) if (fold[i] != k) train.add(rows.get(i));
            BinaryModel m = fit.apply(train);
            for (int i = 0; i < rows.size(); i++) if (fold[i] == k) p[i] = m.probability(features.apply(rows.get(i)));
        }
        return p;
    }

    /** Fits on {@code rows}, each counted {@code copies} times. */
    public static <R> LogisticRegression fitWeighted(List<R> rows, Function<R, float[]> features, ToIntFunction<R> label,
                                                     ToIntFunction<R> copies, double l2, int iterations) {
        List<float[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        for (R r : rows) {
            for (int c = 0; c < copies.applyAsInt(r); c++) {
                x.add(features.apply(r));
                y.add(label.applyAsInt(r));
            }
        }
        return LogisticRegression.fit(x, y.stream().mapToInt(Integer::intValue).toArray(), l2, iterations);
    }
}
