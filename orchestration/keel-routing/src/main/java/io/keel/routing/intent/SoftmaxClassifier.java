package io.keel.routing.intent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Multinomial logistic regression over the embedding: each dimension is standardised with the training examples'
 * mean and deviation, then one weight vector per label; the confidence is the winner's softmax probability. Trained
 * with mini-batch Adam on the cross-entropy plus an L2 penalty, in a fixed shuffle order (reproducible for a seed).
 * Classifying is one matrix-vector product: labels × dimensions multiply-adds.
 */
final class SoftmaxClassifier implements IntentClassifier {
    private static final int BATCH = 32;
    private static final double LEARNING_RATE = 0.01;

    private final List<String> labels;
    private final float[] mean;
    private final float[] scale;
    private final float[] weights;   // labels × dimensions, row-major
    private final float[] bias;
    private final int dimensions;

    private SoftmaxClassifier(List<String> labels, float[] mean, float[] scale, float[] weights, float[] bias) {
        this.labels = labels;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
        this.bias = bias;
        this.dimensions = mean.length;
    }

    static SoftmaxClassifier train(List<LabeledVector> training, Options options) {
        if (training.isEmpty()) throw new IllegalArgumentException("an intent classifier needs examples");
        int dims = training.getFirst().vector().length;
        Map<String, Integer> ids = new LinkedHashMap<>();
        int n = training.size();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            if (training.get(i).vector().length != dims) throw new IllegalArgumentException("examples differ in dimensions");
            y[i] = ids.computeIfAbsent(training.get(i).label(), l -> ids.size());
        }
        int classes = ids.size();
        float[] mean = new float[dims];
        float[] scale = new float[dims];
        for (LabeledVector ex : training) for (int d = 0; d < dims; d++) mean[d] += ex.vector()[d] / n;
        for (LabeledVector ex : training) {
            for (int d = 0; d < dims; d++) {
                float c = ex.vector()[d] - mean[d];
                scale[d] += c * c / n;
            }
        }
        for (int d = 0; d < dims; d++) scale[d] = (float) (1 / Math.sqrt(scale[d] + 1e-8));
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) x[i] = standardise(training.get(i).vector(), mean, scale);

        float[] w = new float[classes * dims];
        float[] b = new float[classes];
        Adam adamW = new Adam(w.length);
        Adam adamB = new Adam(b.length);
        float[] gw = new float[w.length];
        float[] gb = new float[classes];
        double[] p = new double[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random random = new Random(options.seed());
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += BATCH) {
                int end = Math.min(n, start + BATCH);
                java.util.Arrays.fill(gw, 0);
                java.util.Arrays.fill(gb, 0);
                for (int s = start; s < end; s++) {
                    float[] xi = x[order[s]];
                    probabilities(xi, w, b, classes, dims, p);
                    p[y[order[s]]] -= 1;   // d(cross-entropy)/d(logit)
                    for (int c = 0; c < classes; c++) {
                        float g = (float) p[c];
                        if (g == 0) continue;
                        int row = c * dims;
                        for (int d = 0; d < dims; d++) gw[row + d] += g * xi[d];
                        gb[c] += g;
                    }
                }
                float m = end - start;
                for (int k = 0; k < w.length; k++) gw[k] = gw[k] / m + (float) options.l2() * w[k];
                for (int c = 0; c < classes; c++) gb[c] /= m;
                adamW.step(w, gw);
                adamB.step(b, gb);
            }
        }
        return new SoftmaxClassifier(List.copyOf(new ArrayList<>(ids.keySet())), mean, scale, w, b);
    }

    private static float[] standardise(float[] v, float[] mean, float[] scale) {
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) out[d] = (v[d] - mean[d]) * scale[d];
        return out;
    }

    /** Softmax of the logits into {@code p}. */
    private static void probabilities(float[] x, float[] w, float[] b, int classes, int dims, double[] p) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            p[c] = Vectors.dot(x, w, c * dims) + b[c];
            if (p[c] > max) max = p[c];
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) p[c] /= sum;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public IntentPrediction classify(float[] vector) {
        if (vector.length != dimensions) throw new IllegalArgumentException("expected " + dimensions + " dimensions, got " + vector.length);
        double[] p = new double[labels.size()];
        probabilities(standardise(vector, mean, scale), weights, bias, labels.size(), dimensions, p);
        int winner = 0;
        for (int c = 1; c < p.length; c++) if (p[c] > p[winner]) winner = c;
        return new IntentPrediction(labels.get(winner), Math.min(1, Math.max(0, p[winner])));
    }

    /** Adam (Kingma and Ba, 2015) with its usual betas. */
    private static final class Adam {
        private static final double B1 = 0.9;
        private static final double B2 = 0.999;
        private final float[] m;
        private final float[] v;
        private int t;

        Adam(int size) {
            m = new float[size];
            v = new float[size];
        }

        void step(float[] params, float[] grad) {
            t++;
            double c1 = 1 - Math.pow(B1, t);
            double c2 = 1 - Math.pow(B2, t);
            for (int i = 0; i < params.length; i++) {
                m[i] = (float) (B1 * m[i] + (1 - B1) * grad[i]);
                v[i] = (float) (B2 * v[i] + (1 - B2) * grad[i] * grad[i]);
                params[i] -= (float) (LEARNING_RATE * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
        }
    }
}
