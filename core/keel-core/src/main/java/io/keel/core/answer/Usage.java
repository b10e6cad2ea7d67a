package io.keel.core.answer;

/**
 * Tokens and cost of one request.
 *
 * @param promptTokens       every input token, cached ones included
 * @param cachedPromptTokens of which read from the provider's prompt cache (billed at the cached-input price)
 * @param estimated          true when the provider reported no usage and Keel counted tokens itself
 */
public record Usage(long promptTokens, long completionTokens, long cachedPromptTokens, double costUsd, boolean estimated) {
    public static final Usage ZERO = new Usage(0, 0, 0.0, false);

    public Usage {
        if (promptTokens < 0 || completionTokens < 0 || cachedPromptTokens < 0) throw new IllegalArgumentException("token counts must be >= 0");
        if (cachedPromptTokens > promptTokens) throw new IllegalArgumentException("cached prompt tokens cannot exceed prompt tokens");
        if (costUsd < 0) throw new IllegalArgumentException("cost must be >= 0");
    }

    /** Usage with no cached prompt tokens. */
    public Usage(long promptTokens, long completionTokens, double costUsd, boolean estimated) {
        this(promptTokens, completionTokens, 0, costUsd, estimated);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }
}
