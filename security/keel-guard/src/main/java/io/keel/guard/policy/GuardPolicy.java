package io.keel.guard.policy;

import io.keel.guard.action.Action;
import io.keel.guard.exfil.HostAllowlist;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a {@link io.keel.guard.PolicyGuard} enforces, as read from a versioned policy file
 * (see {@link PolicyLoader} and docs/security.md).
 *
 * @param name            policy name, e.g. {@code default} or a tenant/route name
 * @param version         recorded with every decision
 * @param failClosed      a detector that throws or runs past {@code detectorTimeout} blocks the text (true) or is
 *                        skipped and noted (false)
 * @param detectorTimeout time budget for all detectors of one inspection
 * @param classifier      what scores injection and harm: the fine-tuned guard model or the embedding's linear models
 */
public record GuardPolicy(String name, String version, boolean failClosed, Duration detectorTimeout, Pii pii,
                          Injection injection, Exfiltration exfiltration, List<Topic> topics, ContentSafety contentSafety,
                          Classifier classifier) {
    /**
     * What scores prompt injection and harmful requests (policy key {@code classifier}).
     *
     * <ul>
     *   <li>{@code fine-tuned} (the default): the fine-tuned guard model ({@link io.keel.guard.model.GuardModel},
     *       module {@code keel-guard-minilm}) when it is on the class path, else as {@code embedding}: the most
     *       accurate, one model pass per text (about 5 ms for a sentence, 25-30 ms for 128 tokens on two small
     *       cores);</li>
     *   <li>{@code embedding}: logistic regressions over the query embedding the pipeline already computes for
     *       retrieval, well under a millisecond, fewer attacks and harmful requests caught.</li>
     * </ul>
     */
    public enum Classifier {
        FINE_TUNED, EMBEDDING
    }

    /** A policy with the default classifier. */
    public GuardPolicy(String name, String version, boolean failClosed, Duration detectorTimeout, Pii pii, Injection injection,
                       Exfiltration exfiltration, List<Topic> topics, ContentSafety contentSafety) {
        this(name, version, failClosed, detectorTimeout, pii, injection, exfiltration, topics, contentSafety, Classifier.FINE_TUNED);
    }

    /** A policy without content safety (as before it existed). */
    public GuardPolicy(String name, String version, boolean failClosed, Duration detectorTimeout, Pii pii, Injection injection,
                       Exfiltration exfiltration, List<Topic> topics) {
        this(name, version, failClosed, detectorTimeout, pii, injection, exfiltration, topics, ContentSafety.off());
    }

    public GuardPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(detectorTimeout, "detectorTimeout");
        Objects.requireNonNull(pii, "pii");
        Objects.requireNonNull(injection, "injection");
        Objects.requireNonNull(exfiltration, "exfiltration");
        Objects.requireNonNull(contentSafety, "contentSafety");
        Objects.requireNonNull(classifier, "classifier");
        topics = List.copyOf(topics);
        if (detectorTimeout.isNegative() || detectorTimeout.isZero()) throw new IllegalArgumentException("detector_timeout must be > 0");
    }

    /** {@code name@version}, as recorded in verdicts. */
    public String id() {
        return name + "@" + version;
    }

    /**
     * @param entities   per-type overrides; types not listed use the defaults
     * @param directions where PII is checked
     * @param countries  ISO 3166 codes (lower case) whose identifier packs run besides the standard recognizers,
     *                   see {@link io.keel.guard.pii.CountryRecognizers}
     * @param models     names of model-backed recognizer providers to add, see {@link io.keel.guard.pii.RecognizerProvider}
     */
    public record Pii(boolean enabled, Action defaultAction, double defaultThreshold, Map<String, EntityRule> entities,
                      Set<io.keel.core.guard.Direction> directions, List<String> countries, List<String> models) {
        public Pii {
            entities = Map.copyOf(entities);
            directions = Set.copyOf(directions);
            countries = List.copyOf(countries);
            models = List.copyOf(models);
        }

        public Action actionFor(String type) {
            EntityRule r = entities.get(type);
            return r != null && r.action() != null ? r.action() : defaultAction;
        }

        public double thresholdFor(String type) {
            EntityRule r = entities.get(type);
            return r != null && r.threshold() != null ? r.threshold() : defaultThreshold;
        }
    }

    /** @param action null to use the default; @param threshold null to use the default */
    public record EntityRule(Action action, Double threshold) {
    }

    /**
     * Prompt injection, by where the text comes from.
     *
     * @param threshold         caller input scoring at least this is a detection: a finding, counted and logged
     * @param action            what a detection scoring at least {@code blockThreshold} gets
     * @param blockThreshold    detections below it (uncertain ones) are flagged, not acted on: allowed, with the
     *                          finding in the verdict; equal to {@code threshold} to act on every detection
     * @param documentThreshold a retrieved-document or tool text scoring at least this is quarantined
     */
    public record Injection(boolean enabled, double threshold, Action action, boolean sentenceLevel, double blockThreshold,
                            double documentThreshold) {
        public Injection {
            if (blockThreshold < threshold) throw new IllegalArgumentException("injection.block_threshold must be >= injection.threshold");
        }

        public Injection(boolean enabled, double threshold, Action action, boolean sentenceLevel) {
            this(enabled, threshold, action, sentenceLevel, threshold, Math.max(threshold, 0.9));
        }

        /** The action for a detection with this score: {@link #action} when high-confidence, else allow (flag). */
        public Action actionFor(double score) {
            return score >= blockThreshold ? action : Action.ALLOW;
        }
    }

    /**
     * Clearly harmful requests ({@link io.keel.guard.safety.ContentSafetyDetector}), checked on caller input.
     *
     * @param categories per-category actions; categories not listed get {@code defaultAction}
     */
    public record ContentSafety(boolean enabled, double threshold, Action defaultAction, Map<String, Action> categories) {
        public ContentSafety {
            categories = Map.copyOf(categories);
        }

        public static ContentSafety off() {
            return new ContentSafety(false, 0.5, Action.BLOCK, Map.of());
        }

        public Action actionFor(String category) {
            return categories.getOrDefault(category, defaultAction);
        }
    }

    public record Exfiltration(boolean enabled, HostAllowlist allowedHosts, List<String> canaries, Action imageAction,
                               Action linkAction, Action canaryAction) {
        public Exfiltration {
            canaries = List.copyOf(canaries);
        }
    }

    /**
     * A denied topic.
     *
     * @param similarity minimum cosine similarity to an example phrase; ignored without examples
     */
    public record Topic(String name, Action action, List<String> keywords, List<Pattern> patterns, List<String> examples,
                        double similarity) {
        public Topic {
            keywords = List.copyOf(keywords);
            patterns = List.copyOf(patterns);
            examples = List.copyOf(examples);
        }
    }
}
