package io.keel.routing.intent;

import org.apache.lucene.util.VectorUtil;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k-nearest-neighbour intents: the {@code k} examples most similar to the query (cosine: the vectors are
 * L2-normalised, so a dot product) vote for their label with their similarity; the confidence is the winner's share
 * of the votes.
 *
 * <p>The search compares every example (no index), in two passes: a scan of int8 copies of the examples (a quarter of the
 * memory traffic of floats, SIMD dot products from Lucene's {@link VectorUtil}) keeps the {@value #OVERSAMPLE}×k best
 * candidates, and those are re-scored with their float vectors. Quantisation error only reorders examples whose
 * similarities are within a rounding step of each other, which the oversampled candidate list absorbs.
 */
final class KnnClassifier implements IntentClassifier {
    static final int OVERSAMPLE = 4;

    private final List<String> labels;
    private final int[] exampleLabel;
    private final float[][] examples;
    private final byte[][] quantised;
    private final float scale;
    private final int dimensions;
    private final int k;
    private final int candidates;

    private KnnClassifier(List<String> labels, int[] exampleLabel, float[][] examples, int k) {
        this.labels = labels;
        this.exampleLabel = exampleLabel;
        this.examples = examples;
        this.dimensions = examples[0].length;
        this.k = Math.min(k, examples.length);
        this.candidates = Math.min(examples.length, Math.max(this.k * OVERSAMPLE, 16));
        float max = 1e-6f;
        for (float[] v : examples) for (float x : v) max = Math.max(max, Math.abs(x));
        this.scale = 127f / max;
        this.quantised = new byte[examples.length][];
        for (int i = 0; i < examples.length; i++) quantised[i] = quantise(examples[i]);
    }

    static KnnClassifier of(List<LabeledVector> training, int k) {
        if (training.isEmpty()) throw new IllegalArgumentException("an intent classifier needs examples");
        int dims = training.getFirst().vector().length;
        Map<String, Integer> ids = new LinkedHashMap<>();
        int[] label = new int[training.size()];
        float[][] vectors = new float[training.size()][];
        for (int i = 0; i < training.size(); i++) {
            LabeledVector ex = training.get(i);
            if (ex.vector().length != dims) throw new IllegalArgumentException("examples differ in dimensions");
            label[i] = ids.computeIfAbsent(ex.label(), l -> ids.size());
            vectors[i] = ex.vector().clone();
        }
        return new KnnClassifier(List.copyOf(new ArrayList<>(ids.keySet())), label, vectors, k);
    }

    private byte[] quantise(float[] v) {
        byte[] out = new byte[v.length];
        for (int d = 0; d < v.length; d++) out[d] = (byte) Math.max(-127, Math.min(127, Math.round(v[d] * scale)));
        return out;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public IntentPrediction classify(float[] vector) {
        if (vector.length != dimensions) throw new IllegalArgumentException("expected " + dimensions + " dimensions, got " + vector.length);
        byte[] q = quantise(vector);
        // pass 1: the best `candidates` by int8 similarity, kept sorted descending (insertion: the list is short and
        // most examples fail the first comparison)
        int[] best = new int[candidates];
        int[] bestAt = new int[candidates];
        Arrays.fill(best, Integer.MIN_VALUE);
        for (int i = 0; i < quantised.length; i++) {
            int s = VectorUtil.dotProduct(q, quantised[i]);
            if (s <= best[candidates - 1]) continue;
            int j = candidates - 1;
            while (j > 0 && best[j - 1] < s) {
                best[j] = best[j - 1];
                bestAt[j] = bestAt[j - 1];
                j--;
            }
            best[j] = s;
            bestAt[j] = i;
        }
        // pass 2: float similarities of the candidates, the k best vote
        float[] sim = new float[candidates];
        Integer[] order = new Integer[candidates];
        for (int c = 0; c < candidates; c++) {
            sim[c] = VectorUtil.dotProduct(vector, examples[bestAt[c]]);
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> Float.compare(sim[b], sim[a]));
        double[] votes = new double[labels.size()];
        double total = 0;
        for (int j = 0; j < k; j++) {
            int c = order[j];
            double w = Math.max(sim[c], 0) + 1e-9;   // a dissimilar neighbour votes (almost) nothing
            votes[exampleLabel[bestAt[c]]] += w;
            total += w;
        }
        int winner = 0;
        for (int c = 1; c < votes.length; c++) if (votes[c] > votes[winner]) winner = c;
        return new IntentPrediction(labels.get(winner), Math.min(1, votes[winner] / total));
    }
}
