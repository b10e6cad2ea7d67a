package io.keel.ingest.chunk;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.util.Locale;
import java.util.Objects;

/**
 * How documents are cut into chunks.
 *
 * @param maxTokens        upper bound on a chunk's embedding text ({@code title. heading path. text}) in model tokens,
 *                         special tokens included; {@code 0} means the embedding model's own window. A larger value is
 *                         capped at the window, since the model would silently drop the excess.
 * @param overlapSentences sentences from the end of a chunk repeated at the start of the next one in the same
 *                         section, so a sentence that leans on the one before it ("These results ...") keeps its
 *                         antecedent. Overlap never crosses a heading and never takes more than a quarter of a chunk.
 * @param locale           language rules for sentence and word boundaries
 */
public record ChunkerConfig(int maxTokens, int overlapSentences, Locale locale) {
    /** Default overlap: one sentence. */
    public static final int DEFAULT_OVERLAP_SENTENCES = 1;

    public ChunkerConfig {
        if (maxTokens < 0) throw KeelException.invalid("chunking.max_tokens must be >= 0 (0 = model window): " + maxTokens);
        if (overlapSentences < 0) throw KeelException.invalid("chunking.overlap_sentences must be >= 0: " + overlapSentences);
        locale = Objects.requireNonNullElse(locale, Locale.ROOT);
    }

    /** The model's whole window, one sentence of overlap, language-neutral boundaries. */
    /**
     * Reads the {@code chunking} section: {@code max_tokens} (0: the embedding model's limit),
     * {@code overlap_sentences} and {@code language} (a BCP 47 tag; {@code und} detects nothing).
     */
    public static ChunkerConfig from(ConfigNode node) {
        return new ChunkerConfig(
                node.integer("max_tokens", 0, 0, 8192),
                node.integer("overlap_sentences", DEFAULT_OVERLAP_SENTENCES, 0, 10),
                Locale.forLanguageTag(node.string("language", "und")));
    }

    public static ChunkerConfig defaults() {
        return new ChunkerConfig(0, DEFAULT_OVERLAP_SENTENCES, Locale.ROOT);
    }

    public ChunkerConfig withMaxTokens(int maxTokens) {
        return new ChunkerConfig(maxTokens, overlapSentences, locale);
    }

    public ChunkerConfig withOverlapSentences(int overlapSentences) {
        return new ChunkerConfig(maxTokens, overlapSentences, locale);
    }

    public ChunkerConfig withLocale(Locale locale) {
        return new ChunkerConfig(maxTokens, overlapSentences, locale);
    }
}
