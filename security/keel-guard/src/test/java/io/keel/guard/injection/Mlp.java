package io.keel.guard.injection;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * An experiment kept for {@link io.keel.guard.eval.GuardModelSearch} (it did not beat the logistic regression on the
 * out-of-fold curves, see docs/security.md): a binary classifier with one hidden layer over the sentence embedding beside a linear ("wide") term over every
 * feature: {@code p = sigmoid(w2 · relu(W1 · s(e) + b1) + wide · s(x) + b)}, where {@code e} is the first
 * {@code denseDims} features (the embedding) and {@code s} scales them by {@code denseScale} and the rest (hashed
 * n-grams) by {@code sparseScale}, so both parts are of about unit size. The hidden layer sees only the embedding:
 * 384 × 128 weights instead of 4,480 × 128; the n-grams enter linearly, as in the logistic regression.
 *
 * <p>Scoring is about 50,000 multiply-adds (embedding × hidden units) plus one per non-zero n-gram. Training
 * ({@link #fit}) is minibatch Adam with dropout on the hidden layer and decoupled weight decay (AdamW) on the weights,
 * every random draw from one seeded {@link Random} and every sum in a fixed order, so the same rows and settings give
 * the same weights. Immutable and thread-safe.
 */
public final class Mlp implements BinaryModel {
    private final int inputs;
    private final int hidden;
    private final int denseDims;
    private final float denseScale;
    private final float sparseScale;
    /** Input-major: the weights from embedding dimension {@code i} are {@code w1[i * hidden .. (i + 1) * hidden)}. */
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] wide;
    private final float bias;

    public Mlp(int hidden, int denseDims, float denseScale, float sparseScale, float[] w1, float[] b1, float[] w2,
               float[] wide, float bias) {
        if (w1.length != denseDims * hidden || b1.length != hidden || w2.length != hidden) {
            throw new IllegalArgumentException("weights do not match " + denseDims + " dense inputs and " + hidden + " hidden units");
        }
        if (denseDims > wide.length) throw new IllegalArgumentException("dense dimensions out of range: " + denseDims);
        this.inputs = wide.length;
        this.hidden = hidden;
        this.denseDims = denseDims;
        this.denseScale = denseScale;
        this.sparseScale = sparseScale;
        this.w1 = w1.clone();
        this.b1 = b1.clone();
        this.w2 = w2.clone();
        this.wide = wide.clone();
        this.bias = bias;
    }

    /**
     * The settings of one fit.
     *
     * @param l2 decoupled weight decay per step, times the learning rate
     */
    public record Settings(int hidden, int epochs, int batch, double learningRate, double l2, double dropout,
                           float denseScale, float sparseScale, long seed) {
    }

    @Override
    public int dimensions() {
        return inputs;
    }

    public int hidden() {
        return hidden;
    }

    public int denseDims() {
        return denseDims;
    }

    public float denseScale() {
        return denseScale;
    }

    public float sparseScale() {
        return sparseScale;
    }

    public float[] w1() {
        return w1.clone();
    }

    public float[] b1() {
        return b1.clone();
    }

    public float[] w2() {
        return w2.clone();
    }

    public float[] wide() {
        return wide.clone();
    }

    public float bias() {
        return bias;
    }

    @Override
    public double probability(float[] x) {
        if (x.length != inputs) throw new IllegalArgumentException("expected " + inputs + " features, got " + x.length);
        float[] h = b1.clone();
        double z = bias;
        for (int i = 0; i < denseDims; i++) {
            float v = x[i] * denseScale;
            if (v == 0) continue;
            z += v * wide[i];
            int o = i * hidden;
            for (int j = 0; j < hidden; j++) h[j] += v * w1[o + j];
        }
        for (int i = denseDims; i < inputs; i++) if (x[i] != 0) z += x[i] * sparseScale * wide[i];
        for (int j = 0; j < hidden; j++) if (h[j] > 0) z += h[j] * w2[j];
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /**
     * Fits a network to {@code (x, y)}, row {@code r} weighing {@code weight[r]} in the loss (normalised to a mean of 1).
     *
     * @param denseDims how many leading features are the embedding (the hidden layer's input)
     */
    public static Mlp fit(List<float[]> x, int[] y, double[] weight, int denseDims, Settings s) {
        return fit(x, y, weight, denseDims, s, null);
    }

    /**
     * Fits the hidden layer on top of a fixed linear model: the wide term is {@code base}'s weights (rescaled to the
     * scaled inputs) and stays as it is, so the network starts as {@code base} and learns only what it misses. A
     * null {@code base} fits the wide term too.
     */
    public static Mlp fit(List<float[]> x, int[] y, double[] weight, int denseDims, Settings s, LogisticRegression base) {
        int n = x.size();
        if (n == 0 || y.length != n || weight.length != n) throw new IllegalArgumentException("need one label and weight per row");
        int d = x.getFirst().length;
        int hd = s.hidden();
        float[][] dense = new float[n][denseDims];
        int[][] idx = new int[n][];
        float[][] val = new float[n][];
        for (int r = 0; r < n; r++) {
            float[] xr = x.get(r);
            if (xr.length != d) throw new IllegalArgumentException("row " + r + " has " + xr.length + " features, not " + d);
            for (int i = 0; i < denseDims; i++) dense[r][i] = xr[i] * s.denseScale();
            int nz = 0;
            for (int i = denseDims; i < d; i++) if (xr[i] != 0) nz++;
            idx[r] = new int[nz];
            val[r] = new float[nz];
            for (int i = denseDims, k = 0; i < d; i++) {
                if (xr[i] != 0) {
                    idx[r][k] = i;
                    val[r][k++] = xr[i] * s.sparseScale();
                }
            }
        }
        double meanWeight = 0;
        for (double w : weight) meanWeight += w;
        meanWeight /= n;

        Random rnd = new Random(s.seed());
        double[] w1 = new double[denseDims * hd];
        for (int i = 0; i < w1.length; i++) w1[i] = rnd.nextGaussian() * Math.sqrt(2.0 / denseDims);
        double[] b1 = new double[hd];
        double[] w2 = new double[hd];
        for (int j = 0; j < hd; j++) w2[j] = rnd.nextGaussian() * Math.sqrt(1.0 / hd);
        double[] wide = new double[d];
        double[] b = {0};
        boolean frozen = base != null;
        if (frozen) {
            if (base.dimensions() != d) throw new IllegalArgumentException("base model has " + base.dimensions() + " features, not " + d);
            float[] bw = base.weights();
            for (int i = 0; i < d; i++) wide[i] = bw[i] / (i < denseDims ? s.denseScale() : s.sparseScale());
            b[0] = base.bias();
            for (int j = 0; j < hd; j++) w2[j] *= 0.1;
        }

        Adam a1 = new Adam(w1.length), ab1 = new Adam(hd), a2 = new Adam(hd), aw = new Adam(d), ab = new Adam(1);
        double[] g1 = new double[w1.length], gb1 = new double[hd], g2 = new double[hd], gw = new double[d], gb = new double[1];
        // The n-gram inputs a batch touched; the others have a zero gradient and are caught up lazily.
        boolean[] touched = new boolean[d];
        int[] touchedList = new int[d];
        int[] decayedTo = new int[d];
        double[] h = new double[hd];
        double[] mask = new double[hd];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double keep = 1 - s.dropout();
        double decay = 1 - s.learningRate() * s.l2();
        int step = 0;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += s.batch()) {
                int end = Math.min(n, start + s.batch());
                int nTouched = 0;
                Arrays.fill(g1, 0);
                Arrays.fill(gb1, 0);
                Arrays.fill(g2, 0);
                Arrays.fill(gw, 0, denseDims, 0);
                gb[0] = 0;
                double norm = 1.0 / ((end - start) * meanWeight);
                for (int bi = start; bi < end; bi++) {
                    int r = order[bi];
                    float[] er = dense[r];
                    int[] ir = idx[r];
                    float[] vr = val[r];
                    System.arraycopy(b1, 0, h, 0, hd);
                    double z = b[0];
                    for (int i = 0; i < denseDims; i++) {
                        double v = er[i];
                        z += v * wide[i];
                        int o = i * hd;
                        for (int j = 0; j < hd; j++) h[j] += v * w1[o + j];
                    }
                    for (int k = 0; k < ir.length; k++) z += vr[k] * wide[ir[k]];
                    for (int j = 0; j < hd; j++) {
                        mask[j] = h[j] > 0 && (s.dropout() == 0 || rnd.nextDouble() < keep) ? 1 / keep : 0;
                        z += h[j] * mask[j] * w2[j];
                    }
                    double err = (1.0 / (1.0 + Math.exp(-z)) - y[r]) * weight[r] * norm;
                    gb[0] += err;
                    for (int j = 0; j < hd; j++) {
                        g2[j] += err * h[j] * mask[j];
                        double dh = err * w2[j] * mask[j];
                        mask[j] = dh;
                        gb1[j] += dh;
                    }
                    for (int i = 0; i < denseDims; i++) {
                        double v = er[i];
                        gw[i] += err * v;
                        int o = i * hd;
                        for (int j = 0; j < hd; j++) g1[o + j] += v * mask[j];
                    }
                    for (int k = 0; k < ir.length; k++) {
                        int i = ir[k];
                        if (!touched[i]) {
                            touched[i] = true;
                            touchedList[nTouched++] = i;
                            gw[i] = 0;
                        }
                        gw[i] += err * vr[k];
                    }
                }
                step++;
                // Decoupled weight decay on the weights (not the biases), then Adam on the gradient.
                for (int i = 0; i < w1.length; i++) w1[i] *= decay;
                for (int j = 0; j < hd; j++) w2[j] *= decay;
                if (!frozen) for (int i = 0; i < denseDims; i++) wide[i] *= decay;
                a1.step(w1, g1, 0, w1.length, s.learningRate(), step);
                ab1.step(b1, gb1, 0, hd, s.learningRate(), step);
                a2.step(w2, g2, 0, hd, s.learningRate(), step);
                if (!frozen) {
                    aw.step(wide, gw, 0, denseDims, s.learningRate(), step);
                    ab.step(b, gb, 0, 1, s.learningRate(), step);
                }
                for (int t = 0; t < nTouched; t++) {
                    int i = touchedList[t];
                    touched[i] = false;
                    if (frozen) continue;
                    wide[i] *= Math.pow(decay, step - decayedTo[i]);
                    decayedTo[i] = step;
                    aw.step(wide, gw, i, i + 1, s.learningRate(), step);
                }
            }
        }
        if (!frozen) for (int i = denseDims; i < d; i++) wide[i] *= Math.pow(decay, step - decayedTo[i]);
        return new Mlp(hd, denseDims, s.denseScale(), s.sparseScale(), toFloat(w1), toFloat(b1), toFloat(w2),
                toFloat(wide), (float) b[0]);
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    /** Adam moments for a block of parameters. */
    private static final class Adam {
        private static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;
        private final double[] m;
        private final double[] v;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void step(double[] p, double[] g, int from, int to, double lr, int t) {
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            for (int i = from; i < to; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS);
            }
        }
    }
}
