package io.keel.model;

import io.keel.core.answer.Usage;

/**
 * What a model costs, in US dollars per million tokens.
 *
 * @param inputPerMillion  price of one million prompt tokens
 * @param outputPerMillion price of one million completion tokens
 */
public record Pricing(double inputPerMillion, double outputPerMillion) {
    public static final Pricing FREE = new Pricing(0, 0);

    public Pricing {
        if (!(inputPerMillion >= 0) || !(outputPerMillion >= 0)) throw new IllegalArgumentException("prices must be >= 0");
    }

    /** {@code usage} with its cost set from its token counts; the {@code estimated} flag is kept. */
    public Usage price(Usage usage) {
        double cost = usage.promptTokens() * inputPerMillion / 1_000_000.0
                + usage.completionTokens() * outputPerMillion / 1_000_000.0;
        return new Usage(usage.promptTokens(), usage.completionTokens(), cost, usage.estimated());
    }
}
