package io.keel.guard.safety;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.guard.Detector;

import java.util.List;
import java.util.Objects;

/**
 * Clearly harmful requests, by {@link ContentSafetyClassifier}: a finding of type {@code UNSAFE_CONTENT:<category>}
 * (for example {@code UNSAFE_CONTENT:violence_weapons}) over the whole text when the score reaches the threshold, so
 * the category travels with the finding into the verdict, the metrics and the request log. Checks caller input
 * only. Thread-safe.
 */
public final class ContentSafetyDetector implements Detector {
    public static final String TYPE_PREFIX = "UNSAFE_CONTENT:";
    /** Texts of fewer words carry no request the classifier can judge. */
    static final int MIN_WORDS = 3;

    private final ContentSafetyClassifier classifier;
    private final double threshold;

    public ContentSafetyDetector(ContentSafetyClassifier classifier, double threshold) {
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        if (threshold <= 0 || threshold > 1) throw new IllegalArgumentException("threshold must be in (0, 1]");
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return "content-safety";
    }

    @Override
    public List<Finding> detect(String text, Direction direction) {
        if (direction != Direction.INPUT || text.isBlank() || text.strip().split("\\s+").length < MIN_WORDS) return List.of();
        ContentSafetyClassifier.Verdict v = classifier.classify(text);
        if (v.score() < threshold) return List.of();
        return List.of(new Finding(TYPE_PREFIX + v.category(), 0, text.length(), v.score(), name()));
    }

    /** The category of a finding of this detector, or null for other findings. */
    public static String category(Finding f) {
        return f.type().startsWith(TYPE_PREFIX) ? f.type().substring(TYPE_PREFIX.length()) : null;
    }
}
