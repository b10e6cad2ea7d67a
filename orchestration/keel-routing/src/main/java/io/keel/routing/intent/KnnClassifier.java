package io.keel.routing.intent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k-nearest-neighbour intents: the {@code k} examples most similar to the query (cosine: the vectors are
 * L2-normalised, so a dot product) vote for their label with their similarity; the confidence is the winner's share
 * of the votes. Exact search over every example: at 10,000 examples of 384 dimensions a query is a few million
 * multiply-adds.
 */
final class KnnClassifier implements IntentClassifier {
    private final List<String> labels;
    private final int[] exampleLabel;
    private final float[] examples;
    private final int dimensions;
    private final int k;

    private KnnClassifier(List<String> labels, int[] exampleLabel, float[] examples, int dimensions, int k) {
        this.labels = labels;
        this.exampleLabel = exampleLabel;
        this.examples = examples;
        this.dimensions = dimensions;
        this.k = k;
    }

    static KnnClassifier of(List<LabeledVector> training, int k) {
        if (training.isEmpty()) throw new IllegalArgumentException("an intent classifier needs examples");
        int dims = training.getFirst().vector().length;
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] label = new int[training.size()];
        float[] flat = new float[training.size() * dims];
        for (int i = 0; i < training.size(); i++) {
            LabeledVector ex = training.get(i);
            if (ex.vector().length != dims) throw new IllegalArgumentException("examples differ in dimensions");
            label[i] = ids.computeIfAbsent(ex.label(), l -> ids.size());
            System.arraycopy(ex.vector(), 0, flat, i * dims, dims);
        }
        return new KnnClassifier(List.copyOf(new ArrayList<>(ids.keySet())), label, flat, dims, Math.min(k, training.size()));
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public IntentPrediction classify(float[] vector) {
        if (vector.length != dimensions) throw new IllegalArgumentException("expected " + dimensions + " dimensions, got " + vector.length);
        int n = exampleLabel.length;
        // the k best so far, kept sorted descending by similarity (k is small: insertion is cheapest)
        float[] best = new float[k];
        int[] bestAt = new int[k];
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            float s = Vectors.dot(vector, examples, i * dimensions);
            if (s <= best[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && best[j - 1] < s) {
                best[j] = best[j - 1];
                bestAt[j] = bestAt[j - 1];
                j--;
            }
            best[j] = s;
            bestAt[j] = i;
        }
        double[] votes = new double[labels.size()];
        double total = 0;
        for (int j = 0; j < k; j++) {
            double w = Math.max(best[j], 0) + 1e-9;   // a dissimilar neighbour votes (almost) nothing
            votes[exampleLabel[bestAt[j]]] += w;
            total += w;
        }
        int winner = 0;
        for (int c = 1; c < votes.length; c++) if (votes[c] > votes[winner]) winner = c;
        return new IntentPrediction(labels.get(winner), Math.min(1, votes[winner] / total));
    }
}
