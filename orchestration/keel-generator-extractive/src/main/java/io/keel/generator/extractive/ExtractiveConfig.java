package io.keel.generator.extractive;

import io.keel.core.config.ConfigNode;

import io.keel.core.error.KeelException;

/**
 * Tuning of the extractive generator.
 *
 * @param maxSentences   sentences in an answer
 * @param maxChunks      retrieved chunks considered
 * @param semanticWeight weight of question–sentence embedding similarity
 * @param lexicalWeight  weight of the share of question terms found in the sentence
 * @param rankWeight     weight of the chunk's retrieval rank
 * @param relativeCutoff a sentence scoring below {@code best * relativeCutoff} is left out
 */
public record ExtractiveConfig(int maxSentences, int maxChunks, double semanticWeight, double lexicalWeight,
                               double rankWeight, double relativeCutoff) {
    public ExtractiveConfig {
        if (maxSentences < 1) throw KeelException.invalid("generator.extractive.max_sentences must be >= 1");
        if (maxChunks < 1) throw KeelException.invalid("generator.extractive.max_chunks must be >= 1");
        if (relativeCutoff < 0 || relativeCutoff > 1) throw KeelException.invalid("generator.extractive.relative_cutoff must be in [0, 1]");
    }

    /**
     * Reads the {@code generator.extractive} section: {@code max_sentences}, {@code max_chunks},
     * {@code semantic_weight}, {@code lexical_weight}, {@code rank_weight}, {@code relative_cutoff}.
     */
    public static ExtractiveConfig from(ConfigNode node) {
        ExtractiveConfig d = defaults();
        return new ExtractiveConfig(
                node.integer("max_sentences", d.maxSentences(), 1, 50),
                node.integer("max_chunks", d.maxChunks(), 1, 100),
                node.decimal("semantic_weight", d.semanticWeight(), 0, 10),
                node.decimal("lexical_weight", d.lexicalWeight(), 0, 10),
                node.decimal("rank_weight", d.rankWeight(), 0, 10),
                node.decimal("relative_cutoff", d.relativeCutoff(), 0, 1));
    }

    public static ExtractiveConfig defaults() {
        return new ExtractiveConfig(3, 5, 0.6, 0.3, 0.1, 0.6);
    }
}
