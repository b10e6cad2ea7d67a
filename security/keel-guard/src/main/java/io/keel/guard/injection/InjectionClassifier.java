package io.keel.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.spi.Embedder;
import io.keel.guard.data.WeightsFile;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Logistic regression over a sentence embedding, hashed word n-grams and hashed character n-grams
 * ({@link HashedNgrams}): the probability that a text is a prompt injection.
 *
 * <p>The weights file records the embedding model it was trained on; loading it with an embedder of another model
 * fails, because the scores would be meaningless. Thread-safe.
 */
public final class InjectionClassifier implements InjectionScorer {
    /** The weights shipped with Keel, trained by {@code TrainInjectionClassifier} (see docs/security.md). */
    /** Bundled weights, one file per embedding model: {@code injection-classifier-<model id>.json}. */
    public static final String BUNDLED_RESOURCE = "/io/keel/guard/injection/injection-classifier-%s.json";

    private final Embedder embedder;
    private final LogisticRegression model;
    private final double threshold;
    private final String modelId;
    private final int buckets;
    private final int charBuckets;

    /** @param buckets hashed n-gram features after the embedding; 0 for embedding only */
    public InjectionClassifier(Embedder embedder, LogisticRegression model, double threshold, String modelId, int buckets) {
        this(embedder, model, threshold, modelId, buckets, 0);
    }

    /**
     * @param buckets     hashed word n-gram features after the embedding; 0 for none
     * @param charBuckets hashed character n-gram features after those; 0 for none (weights files before format 3)
     */
    public InjectionClassifier(Embedder embedder, LogisticRegression model, double threshold, String modelId, int buckets,
                               int charBuckets) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.model = Objects.requireNonNull(model, "model");
        this.threshold = threshold;
        this.modelId = modelId;
        this.buckets = buckets;
        this.charBuckets = charBuckets;
        int dims = embedder.info().dimensions();
        if (dims + buckets + charBuckets != model.dimensions()) {
            throw new IllegalArgumentException("classifier expects " + (model.dimensions() - buckets - charBuckets) + "-dim embeddings from "
                    + modelId + ", embedder " + embedder.info().fingerprint() + " gives " + dims);
        }
        if (!embedder.info().id().equals(modelId)) {
            throw new IllegalArgumentException("classifier was trained on " + modelId + " embeddings, not " + embedder.info().id());
        }
    }

    /** The bundled weights trained on {@code embedder}'s model (all-MiniLM-L6-v2, float32 or int8). */
    public static InjectionClassifier bundled(Embedder embedder) {
        return load(WeightsFile.readBundled(InjectionClassifier.class, BUNDLED_RESOURCE, embedder, "injection classifier",
                "./mvnw -q -pl security/keel-guard test-compile exec:java@train-injection"), embedder);
    }

    public static InjectionClassifier load(Path weightsFile, Embedder embedder) {
        return load(WeightsFile.read(weightsFile, "classifier weights"), embedder);
    }

    static InjectionClassifier load(JsonNode json, Embedder embedder) {
        return new InjectionClassifier(embedder, ModelJson.read(json),
                json.path("threshold").asDouble(0.5), json.get("embedding_model").asText(),
                json.path("hashed_ngram_buckets").asInt(0), json.path("hashed_char_ngram_buckets").asInt(0));
    }

    /**
     * The injection score of one text, embedded whole (the model truncates long texts): the model's probability
     * mapped piecewise-linearly so that the training-time threshold becomes 0.5 (see {@link #calibrate}).
     */
    @Override
    public double score(String text) {
        return calibrate(model.probability(HashedNgrams.concat(embedder.embedQuery(text), text, buckets, charBuckets)));
    }

    /** The score of each text, embedded in one batch. */
    @Override
    public double[] scoreAll(List<String> texts) {
        List<float[]> vectors = embedder.embedAll(texts);
        double[] out = new double[vectors.size()];
        for (int i = 0; i < out.length; i++) out[i] = calibrate(model.probability(HashedNgrams.concat(vectors.get(i), texts.get(i), buckets, charBuckets)));
        return out;
    }

    /**
     * Maps a probability to a score with the training-time threshold at 0.5, so a policy threshold of 0.5 means
     * "the classifier's chosen operating point" whatever the weights file chose; [0, t] maps onto [0, 0.5] and
     * [t, 1] onto [0.5, 1].
     */
    double calibrate(double p) {
        if (threshold <= 0 || threshold >= 1) return p;
        return p < threshold ? 0.5 * p / threshold : 0.5 + 0.5 * (p - threshold) / (1 - threshold);
    }

    /** The probability the training run chose as its operating point (score 0.5). */
    public double threshold() {
        return threshold;
    }
}
