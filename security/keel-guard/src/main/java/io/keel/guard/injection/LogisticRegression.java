package io.keel.guard.injection;

import java.util.Arrays;
import java.util.List;

/**
 * Binary logistic regression with L2 regularisation, trained by full-batch gradient descent with a fixed schedule so
 * the same data always gives the same weights. Small and dependency-free: the feature vectors are sentence
 * embeddings (hundreds of dimensions, hundreds to thousands of rows).
 */
public final class LogisticRegression implements BinaryModel {
    private final float[] weights;
    private final float bias;

    public LogisticRegression(float[] weights, float bias) {
        this.weights = weights.clone();
        this.bias = bias;
    }

    public float[] weights() {
        return weights.clone();
    }

    public float bias() {
        return bias;
    }

    @Override
    public int dimensions() {
        return weights.length;
    }

    /** P(label = 1 | x). */
    @Override
    public double probability(float[] x) {
        if (x.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " features, got " + x.length);
        }
        double z = bias;
        for (int i = 0; i < x.length; i++) z += weights[i] * x[i];
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /**
     * Fits weights to {@code (x, y)}.
     *
     * @param l2         regularisation strength (per example)
     * @param iterations gradient steps; the step size is fixed
     */
    public static LogisticRegression fit(List<float[]> x, int[] y, double l2, int iterations) {
        if (x.isEmpty() || x.size() != y.length) throw new IllegalArgumentException("need one label per row");
        int n = x.size();
        int d = x.getFirst().length;
        double[] w = new double[d];
        double b = 0;
        double lr = 0.5;
        // Adam moments: converges in a few hundred steps on normalised embeddings.
        double[] m = new double[d + 1];
        double[] v = new double[d + 1];
        double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        double[] grad = new double[d + 1];
        // Rows are partly sparse (hashed n-grams): keep only the non-zero features of each.
        int[][] idx = new int[n][];
        float[][] val = new float[n][];
        for (int r = 0; r < n; r++) {
            float[] xr = x.get(r);
            if (xr.length != d) throw new IllegalArgumentException("row " + r + " has " + xr.length + " features, not " + d);
            int nz = 0;
            for (float f : xr) if (f != 0) nz++;
            idx[r] = new int[nz];
            val[r] = new float[nz];
            for (int i = 0, k = 0; i < d; i++) {
                if (xr[i] != 0) {
                    idx[r][k] = i;
                    val[r][k++] = xr[i];
                }
            }
        }
        for (int it = 1; it <= iterations; it++) {
            Arrays.fill(grad, 0);
            for (int r = 0; r < n; r++) {
                int[] ir = idx[r];
                float[] vr = val[r];
                double z = b;
                for (int k = 0; k < ir.length; k++) z += w[ir[k]] * vr[k];
                double err = 1.0 / (1.0 + Math.exp(-z)) - y[r];
                for (int k = 0; k < ir.length; k++) grad[ir[k]] += err * vr[k];
                grad[d] += err;
            }
            for (int i = 0; i <= d; i++) {
                double g = grad[i] / n + (i < d ? l2 * w[i] : 0);
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mh = m[i] / (1 - Math.pow(beta1, it));
                double vh = v[i] / (1 - Math.pow(beta2, it));
                double step = lr * 0.1 * mh / (Math.sqrt(vh) + eps);
                if (i < d) w[i] -= step;
                else b -= step;
            }
        }
        float[] wf = new float[d];
        for (int i = 0; i < d; i++) wf[i] = (float) w[i];
        return new LogisticRegression(wf, (float) b);
    }
}
