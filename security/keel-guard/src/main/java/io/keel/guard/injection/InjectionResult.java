package io.keel.guard.injection;

import io.keel.core.guard.Finding;

import java.util.List;

/**
 * The injection verdict on one text.
 *
 * @param score    in [0, 1]: the highest of the rule scores, the classifier's whole-text and per-sentence
 *                 probabilities, and the same for any decoded payload
 * @param flagged  {@code score >= threshold}
 * @param signals  what contributed: rule matches, classifier scores (detector {@code injection-classifier}),
 *                 decoded payloads, evasion tricks; offsets refer to the original text where they can, else span it
 * @param evasions tricks found while normalizing (see {@link NormalizedText#evasions()})
 */
public record InjectionResult(double score, boolean flagged, List<Finding> signals, List<String> evasions) {
    public InjectionResult {
        signals = List.copyOf(signals);
        evasions = List.copyOf(evasions);
    }

    /**
     * The attack-shape score: the highest score of the rules (instruction overrides, system-prompt extraction, chat
     * markup, jailbreak markers), 0 when none matched. High means the text has the form of an attack.
     */
    public double ruleScore() {
        return signals.stream().filter(f -> f.detector().startsWith("injection-rules")).mapToDouble(Finding::score).max().orElse(0);
    }

    /**
     * The classifier's score (whole text, sentences, decoded payloads), 0 when it did not run. It separates attacks
     * from ordinary tasks, imperative or not; 0.5 is its trained operating point.
     */
    public double classifierScore() {
        return signals.stream().filter(f -> f.detector().startsWith("injection-classifier") || f.detector().startsWith("injection-decoded"))
                .mapToDouble(Finding::score).max().orElse(0);
    }
}
