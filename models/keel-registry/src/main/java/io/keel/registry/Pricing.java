package io.keel.registry;

/**
 * US dollars per million tokens, as declared in a model entry's {@code price} section. Kept as typed columns so spend
 * reports and listings need not parse every stored config.
 *
 * @param inputPerMillion       prompt tokens
 * @param outputPerMillion      completion tokens
 * @param cachedInputPerMillion prompt tokens served from the provider's prompt cache, or null when not declared
 */
public record Pricing(double inputPerMillion, double outputPerMillion, Double cachedInputPerMillion) {
    public static final Pricing FREE = new Pricing(0, 0, null);
}
