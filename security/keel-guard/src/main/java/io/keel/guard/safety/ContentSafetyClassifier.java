package io.keel.guard.safety;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.spi.Embedder;
import io.keel.guard.data.WeightsFile;
import io.keel.guard.injection.HashedNgrams;
import io.keel.guard.injection.LogisticRegression;
import io.keel.guard.injection.ModelJson;
import io.keel.guard.model.GuardModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Whether a request is clearly harmful, and in which category: a logistic regression over the sentence embedding and
 * hashed word and character n-grams for "harmful or not", and one-vs-rest logistic regressions over the embedding for the category
 * ({@link io.keel.guard.data.HarmCategories}). Trained by {@link ContentSafetyTrainer}; the weights file records the
 * embedding model, the data files and their hashes. Thread-safe.
 */
public final class ContentSafetyClassifier {
    public static final String BUNDLED_RESOURCE = "/io/keel/guard/safety/content-safety-%s.json";

    /** The verdict on one text: the harm score (0.5 = the trained operating point) and the likeliest category. */
    public record Verdict(double score, String category) {
    }

    private final Embedder embedder;
    private final LogisticRegression harmful;
    private final double threshold;
    private final int buckets;
    private final int charBuckets;
    private final List<String> categories;
    private final List<LogisticRegression> categoryModels;
    /** When set, scores the harm in place of {@link #harmful}; the categories still come from the embedding. */
    private final GuardModel model;

    public ContentSafetyClassifier(Embedder embedder, LogisticRegression harmful, double threshold, int buckets,
                                   List<String> categories, List<LogisticRegression> categoryModels, String modelId) {
        this(embedder, harmful, threshold, buckets, 0, categories, categoryModels, modelId);
    }

    /** @param charBuckets hashed character n-gram features after the word n-grams; 0 for none */
    public ContentSafetyClassifier(Embedder embedder, LogisticRegression harmful, double threshold, int buckets, int charBuckets,
                                   List<String> categories, List<LogisticRegression> categoryModels, String modelId) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.harmful = Objects.requireNonNull(harmful, "harmful");
        this.threshold = threshold;
        this.buckets = buckets;
        this.charBuckets = charBuckets;
        this.categories = List.copyOf(categories);
        this.categoryModels = List.copyOf(categoryModels);
        this.model = null;
        if (categories.size() != categoryModels.size()) throw new IllegalArgumentException("one model per category");
        if (!embedder.info().id().equals(modelId)) {
            throw new IllegalArgumentException("content-safety classifier was trained on " + modelId + " embeddings, not " + embedder.info().id());
        }
        if (embedder.info().dimensions() + buckets + charBuckets != harmful.dimensions()) {
            throw new IllegalArgumentException("content-safety classifier expects " + (harmful.dimensions() - buckets - charBuckets) + "-dim embeddings");
        }
    }

    private ContentSafetyClassifier(ContentSafetyClassifier base, GuardModel model) {
        this.embedder = base.embedder;
        this.harmful = base.harmful;
        this.threshold = base.threshold;
        this.buckets = base.buckets;
        this.charBuckets = base.charBuckets;
        this.categories = base.categories;
        this.categoryModels = base.categoryModels;
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * This classifier with the harm score taken from a fine-tuned guard model (its {@code harmful} score, 0.5 at
     * its operating point); the category of a harmful text is still the likeliest by the embedding's category
     * models.
     */
    public ContentSafetyClassifier scoredBy(GuardModel model) {
        return new ContentSafetyClassifier(this, model);
    }

    /**
     * What the bundled policy uses: {@link #bundled} with the harm scored by the fine-tuned
     * {@link GuardModel} when one is on the class path.
     */
    public static ContentSafetyClassifier standard(Embedder embedder) {
        ContentSafetyClassifier c = bundled(embedder);
        return GuardModel.bundled().map(c::scoredBy).orElse(c);
    }

    /** The bundled weights for {@code embedder}'s model. */
    public static ContentSafetyClassifier bundled(Embedder embedder) {
        return load(WeightsFile.readBundled(ContentSafetyClassifier.class, BUNDLED_RESOURCE, embedder, "content-safety classifier",
                "./mvnw -q -pl security/keel-guard test-compile exec:java@train-safety"), embedder);
    }

    public static ContentSafetyClassifier load(Path weightsFile, Embedder embedder) {
        return load(WeightsFile.read(weightsFile, "content-safety weights"), embedder);
    }

    static ContentSafetyClassifier load(JsonNode json, Embedder embedder) {
        List<String> names = new ArrayList<>();
        List<LogisticRegression> models = new ArrayList<>();
        for (JsonNode c : json.get("categories")) {
            names.add(c.get("name").asText());
            models.add(ModelJson.read(c));
        }
        return new ContentSafetyClassifier(embedder, ModelJson.read(json.get("harmful")), json.get("threshold").asDouble(),
                json.get("hashed_ngram_buckets").asInt(), json.path("hashed_char_ngram_buckets").asInt(0), names, models, json.get("embedding_model").asText());
    }

    public Verdict classify(String text) {
        return classify(text, embedder.embedQuery(text));
    }

    /** With the text's embedding already computed (the query embedding the pipeline shares). */
    public Verdict classify(String text, float[] embedding) {
        double score;
        if (model != null) {
            score = model.score(text).harmful();
        } else {
            double p = harmful.probability(HashedNgrams.concat(embedding, text, buckets, charBuckets));
            score = p < threshold ? 0.5 * p / threshold : 0.5 + 0.5 * (p - threshold) / (1 - threshold);
        }
        int best = 0;
        double bestP = -1;
        for (int i = 0; i < categoryModels.size(); i++) {
            double c = categoryModels.get(i).probability(embedding);
            if (c > bestP) {
                bestP = c;
                best = i;
            }
        }
        return new Verdict(score, categories.get(best));
    }

    public List<String> categories() {
        return categories;
    }
}
