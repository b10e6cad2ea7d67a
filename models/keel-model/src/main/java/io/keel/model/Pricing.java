package io.keel.model;

import io.keel.core.answer.Usage;
import io.keel.core.config.ConfigNode;

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

    /**
     * Reads a model entry's {@code price:} section: either per-token prices ({@code input_per_1m},
     * {@code output_per_1m}, and {@code cached_input_per_1m} for prompt tokens the provider read from its cache,
     * default the input price), or for a self-hosted model the GPU-hour price over its measured throughput
     * ({@code gpu_hour_usd}, {@code tokens_per_second}), which prices every token, in or out, at
     * {@code gpu_hour_usd / (3600 * tokens_per_second)}. Absent: {@link #FREE}.
     */
    public static Pricing from(ConfigNode price) {
        double gpuHour = price.decimal("gpu_hour_usd", -1, 0, 1e9);
        double tps = price.decimal("tokens_per_second", -1, 0, 1e12);
        if (gpuHour >= 0 || tps >= 0) {
            if (gpuHour < 0 || !(tps > 0)) {
                throw price.error("gpu_hour_usd", "and tokens_per_second go together: the GPU-hour price in dollars and "
                        + "the measured throughput of one GPU in tokens per second (> 0)");
            }
            if (price.has("input_per_1m") || price.has("output_per_1m") || price.has("cached_input_per_1m")) {
                throw price.error("gpu_hour_usd", "replaces input_per_1m, output_per_1m and cached_input_per_1m; set one or the other");
            }
            double perMillion = gpuHour / (3600.0 * tps) * 1_000_000.0;
            return new Pricing(perMillion, perMillion);
        }
        double input = price.decimal("input_per_1m", 0, 0, 1e9);
        return new Pricing(input, price.decimal("output_per_1m", 0, 0, 1e9), price.decimal("cached_input_per_1m", input, 0, 1e9));
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
