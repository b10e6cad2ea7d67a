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
}
