package io.keel.guard.injection;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.spi.Embedder;
import io.keel.guard.Detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Layered prompt-injection detection: normalization (look-alikes, invisible and bidi characters, encoded payloads),
 * rules for known attack shapes, and a logistic-regression classifier over sentence embeddings, applied to the whole
 * text and to each sentence so an injection buried in a long benign text is still seen.
 *
 * <p>The same detector scans user prompts and, through {@link #scanChunk}, document chunks at ingestion (indirect
 * injection). Without a classifier it runs rules only. Thread-safe.
 */
public final class InjectionDetector implements Detector {
    public static final String TYPE = "PROMPT_INJECTION";
    private static final Pattern SENTENCE_BREAK = Pattern.compile("(?<=[.!?])\\s+|\\n+");
    /** Added to the score when the text also hid something (invisible characters, look-alikes) and scored above 0.3. */
    static final double EVASION_BONUS = 0.15;

    /**
     * @param threshold     score at which a text is flagged
     * @param sentenceLevel also score each sentence with the classifier
     * @param maxSentences  at most this many sentences are scored (the longest), bounding latency
     */
    public record Config(double threshold, boolean sentenceLevel, int maxSentences) {
        public Config {
            if (threshold <= 0 || threshold > 1) throw new IllegalArgumentException("threshold must be in (0, 1]");
            if (maxSentences < 1) throw new IllegalArgumentException("maxSentences must be >= 1");
        }

        public static Config defaults() {
            return new Config(0.5, true, 12);
        }
    }

    private final TextNormalizer normalizer = new TextNormalizer();
    private final InjectionRules rules = new InjectionRules();
    private final InjectionScorer classifier;
    private final Config config;

    /** @param classifier null for rules only */
    public InjectionDetector(InjectionScorer classifier, Config config) {
        this.classifier = classifier;
        this.config = Objects.requireNonNull(config, "config");
    }

    public static InjectionDetector rulesOnly() {
        return new InjectionDetector(null, Config.defaults());
    }

    /** Rules plus the bundled classifier over {@code embedder} (all-MiniLM-L6-v2). */
    public static InjectionDetector standard(Embedder embedder) {
        return new InjectionDetector(InjectionClassifier.bundled(embedder), Config.defaults());
    }

    @Override
    public String name() {
        return "prompt-injection";
    }

    public Config config() {
        return config;
    }

    /** Findings (type {@value #TYPE}) when the text is flagged; none otherwise. */
    @Override
    public List<Finding> detect(String text, Direction direction) {
        return findingsOf(text, scan(text));
    }

    /** The findings a result stands for: none unless flagged; else the whole text plus the rules that matched. */
    public List<Finding> findingsOf(String text, InjectionResult r) {
        if (!r.flagged()) return List.of();
        List<Finding> out = new ArrayList<>();
        out.add(new Finding(TYPE, 0, text.length(), r.score(), name()));
        out.addAll(r.signals().stream().filter(f -> f.detector().startsWith("injection-rules")).toList());
        return out;
    }

    /** Scans one document chunk at ingestion; a flagged chunk should be marked (see {@link ChunkScreening}). */
    public InjectionResult scanChunk(String chunkText) {
        return scan(chunkText);
    }

    /**
     * One or two words carry no instruction to override anything, and the classifier's score on them is noise (it
     * flagged the one-letter question "q"); such texts are judged by the rules alone.
     */
    static final int MIN_CLASSIFIER_WORDS = 3;

    private static int words(String text) {
        int n = 0;
        for (String w : text.strip().split("\\s+")) if (!w.isEmpty()) n++;
        return n;
    }

    public InjectionResult scan(String text) {
        Objects.requireNonNull(text, "text");
        NormalizedText norm = normalizer.normalize(text);
        boolean unchanged = norm.text().equals(text);
        List<Finding> signals = new ArrayList<>();
        double score = 0;
        for (Finding f : rules.match(norm.text())) {
            signals.add(unchanged ? f : new Finding(f.type(), 0, text.length(), f.score(), f.detector()));
            score = Math.max(score, f.score());
        }
        if (classifier != null && words(norm.text()) >= MIN_CLASSIFIER_WORDS) {
            // The raw text when normalization changed nothing: the pipeline embeds the same string for retrieval,
            // so the embedder's cache makes this call free there.
            double whole = classifier.score(unchanged ? text : norm.text());
            signals.add(new Finding(TYPE, 0, text.length(), whole, "injection-classifier"));
            score = Math.max(score, whole);
            if (config.sentenceLevel()) score = Math.max(score, sentenceScore(text, norm.text(), unchanged, signals));
        }
        for (NormalizedText.Decoded d : norm.decoded()) {
            double ds = 0;
            for (Finding f : rules.match(d.text())) ds = Math.max(ds, f.score());
            if (classifier != null && !d.encoding().equals("rot13")) ds = Math.max(ds, classifier.score(d.text()));
            if (ds > 0) {
                signals.add(new Finding(TYPE, d.start(), d.end(), ds, "injection-decoded:" + d.encoding()));
                score = Math.max(score, ds);
            }
        }
        if (!norm.evasions().isEmpty() && score > 0.3) score = Math.min(1.0, score + EVASION_BONUS);
        return new InjectionResult(score, score >= config.threshold(), signals, norm.evasions());
    }

    private double sentenceScore(String original, String normalized, boolean unchanged, List<Finding> signals) {
        List<int[]> spans = new ArrayList<>();
        var m = SENTENCE_BREAK.matcher(normalized);
        int start = 0;
        while (m.find()) {
            spans.add(new int[]{start, m.start()});
            start = m.end();
        }
        spans.add(new int[]{start, normalized.length()});
        spans.removeIf(s -> s[1] - s[0] < 12);
        if (spans.size() < 2) return 0;
        spans.sort((a, b) -> Integer.compare(b[1] - b[0], a[1] - a[0]));
        List<int[]> chosen = spans.subList(0, Math.min(config.maxSentences(), spans.size()));
        double[] scores = classifier.scoreAll(chosen.stream().map(s -> normalized.substring(s[0], s[1])).toList());
        double best = 0;
        for (int i = 0; i < scores.length; i++) {
            int[] s = chosen.get(i);
            if (scores[i] > best) best = scores[i];
            if (scores[i] >= config.threshold()) {
                signals.add(new Finding(TYPE, unchanged ? s[0] : 0, unchanged ? s[1] : original.length(), scores[i], "injection-classifier:sentence"));
            }
        }
        return best;
    }
}
