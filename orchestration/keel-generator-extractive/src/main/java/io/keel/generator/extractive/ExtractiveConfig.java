package io.keel.generator.extractive;

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

    public static ExtractiveConfig defaults() {
        return new ExtractiveConfig(3, 5, 0.6, 0.3, 0.1, 0.6);
    }
}
