package io.keel.model;

import io.keel.core.answer.Usage;

/**
 * What a model costs, in US dollars per million tokens.
 *
 * @param inputPerMillion       price of one million prompt tokens
 * @param outputPerMillion      price of one million completion tokens
 * @param cachedInputPerMillion price of one million prompt tokens read from the provider's prompt cache
 */
public record Pricing(double inputPerMillion, double outputPerMillion, double cachedInputPerMillion) {
    public static final Pricing FREE = new Pricing(0, 0);

    public Pricing {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0) || !(cachedInputPerMillion >= 0)) {
            throw new IllegalArgumentException("prices must be >= 0");
        }
    }

    /** Prices without a cache discount: cached prompt tokens cost as much as the others. */
    public Pricing(double inputPerMillion, double outputPerMillion) {
        this(inputPerMillion, outputPerMillion, inputPerMillion);
    }

    /** {@code usage} with its cost set from its token counts; the {@code estimated} flag is kept. */
    public Usage price(Usage usage) {
        long uncached = usage.promptTokens() - usage.cachedPromptTokens();
        double cost = uncached * inputPerMillion / 1_000_000.0
                + usage.cachedPromptTokens() * cachedInputPerMillion / 1_000_000.0
                + usage.completionTokens() * outputPerMillion / 1_000_000.0;
        return new Usage(usage.promptTokens(), usage.completionTokens(), usage.cachedPromptTokens(), cost, usage.estimated());
    }
}
