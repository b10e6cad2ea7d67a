package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.List;
import java.util.Set;

/**
 * Finds one kind (or a few related kinds) of personal data in text.
 *
 * <p>A recognizer reports raw matches with their base score; context words and per-policy thresholds are applied
 * by {@link PiiScanner}. Implementations are thread-safe and never return null.
 */
public interface PiiRecognizer {
    /** Stable name, written into {@link Finding#detector()}. */
    String name();

    /** Entity types this recognizer can report, using Presidio's names (e.g. {@code CREDIT_CARD}). */
    Set<String> entityTypes();

    /** Words that, near a match, make it more likely to be real (e.g. "card" for a card number). */
    default ContextWords context() {
        return ContextWords.NONE;
    }

    /**
     * Whether a statistical model makes the findings (named entities) rather than rules; Presidio's cases that
     * exercise its NER models are evaluated only against such recognizers.
     */
    default boolean statistical() {
        return false;
    }

    List<Finding> recognize(String text);
}
