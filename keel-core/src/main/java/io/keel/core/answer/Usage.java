package io.keel.core.answer;

/**
 * Tokens and cost of one request.
 *
 * @param estimated true when the provider reported no usage and Keel counted tokens itself
 */
public record Usage(long promptTokens, long completionTokens, double costUsd, boolean estimated) {
    public static final Usage ZERO = new Usage(0, 0, 0.0, false);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
        if (costUsd < 0) throw new IllegalArgumentException("cost must be >= 0");
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
