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
 */
public record GuardPolicy(String name, String version, boolean failClosed, Duration detectorTimeout, Pii pii,
                          Injection injection, Exfiltration exfiltration, List<Topic> topics) {
    public GuardPolicy {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(detectorTimeout, "detectorTimeout");
        Objects.requireNonNull(pii, "pii");
        Objects.requireNonNull(injection, "injection");
        Objects.requireNonNull(exfiltration, "exfiltration");
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

    public record Injection(boolean enabled, double threshold, Action action, boolean sentenceLevel) {
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
