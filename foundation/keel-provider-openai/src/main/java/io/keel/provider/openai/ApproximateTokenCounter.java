package io.keel.provider.openai;

import io.keel.core.spi.TokenCounter;

/**
 * A token count for a remote model whose tokenizer Keel does not have. It is an estimate, made to err high for the
 * text it is meant for, so that chunks sized by it fit the model's window:
 * <ul>
 *   <li>two tokens for the model's special tokens ({@code [CLS]}/{@code [SEP]}, {@code <s>}/{@code </s>});</li>
 *   <li>one token per {@code charsPerToken} ASCII characters, spaces included (English runs at about 4 to 4.5
 *       characters per token in both WordPiece and BPE vocabularies, so the default 3.0 over-counts by a third);</li>
 *   <li>one token per other character of the Basic Multilingual Plane (accented letters, CJK, Cyrillic: WordPiece
 *       vocabularies give a CJK character a token of its own), two per character beyond it (emoji).</li>
 * </ul>
 * Text in scripts that a model splits into more than one token per character can still exceed the window; the
 * remote embedder cuts every text to {@link #truncate} before sending, and servers that can truncate on their own
 * (TEI's {@code --auto-truncate}) are safer still. Thread-safe (stateless).
 */
public final class ApproximateTokenCounter implements TokenCounter {
    private static final int SPECIAL_TOKENS = 2;

    private final int maxTokens;
    private final double charsPerToken;

    public ApproximateTokenCounter(int maxTokens, double charsPerToken) {
        if (maxTokens <= SPECIAL_TOKENS) throw new IllegalArgumentException("maxTokens must be > " + SPECIAL_TOKENS);
        if (!(charsPerToken > 0)) throw new IllegalArgumentException("charsPerToken must be > 0");
        this.maxTokens = maxTokens;
        this.charsPerToken = charsPerToken;
    }

    @Override
    public int countTokens(String text) {
        return SPECIAL_TOKENS + (int) Math.ceil(cost(text, text.length()) - 1e-9);
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    /** {@code text}, or its longest prefix (ending at a code point boundary) whose count fits {@link #maxTokens()}. */
    public String truncate(String text) {
        if (countTokens(text) <= maxTokens) return text;
        double budget = maxTokens - SPECIAL_TOKENS;
        double used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            double c = cost(cp);
            if (used + c > budget + 1e-9) break;
            used += c;
            i += Character.charCount(cp);
        }
        return text.substring(0, i);
    }

    private double cost(String text, int end) {
        double total = 0;
        for (int i = 0; i < end; ) {
            int cp = text.codePointAt(i);
            total += cost(cp);
            i += Character.charCount(cp);
        }
        return total;
    }

    private double cost(int codePoint) {
        if (codePoint < 0x80) return 1.0 / charsPerToken;
        return Character.isSupplementaryCodePoint(codePoint) ? 2 : 1;
    }
}
