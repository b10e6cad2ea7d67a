package io.keel.prompts;

import io.keel.core.spi.TokenCounter;

/**
 * A tokenizer-free token estimate for {@code max_tokens} assertions when no model tokenizer is at hand: one token per
 * four characters, rounded up, the usual rule of thumb for English with BPE tokenizers. It errs on the long side for
 * prose, so a test passing with it passes with a real tokenizer too in most cases. Pass a real {@link TokenCounter}
 * to {@link PromptTester} for exact counts.
 */
public final class ApproxTokenCounter implements TokenCounter {
    public static final ApproxTokenCounter INSTANCE = new ApproxTokenCounter();

    private ApproxTokenCounter() {
    }

    @Override
    public int countTokens(String text) {
        int cps = text.codePointCount(0, text.length());
        return (cps + 3) / 4;
    }

    @Override
    public int maxTokens() {
        return Integer.MAX_VALUE;
    }
}
