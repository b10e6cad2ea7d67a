package io.keel.model;

import io.keel.core.answer.Usage;

import java.time.Duration;
import java.util.List;

/**
 * What one gateway call did, for the request log and metrics.
 *
 * @param requested the model name the caller asked for
 * @param served    the model that answered (a fallback when different from {@code requested}); on failure the last
 *                  one tried
 * @param provider  the served model's provider ({@code openai}, {@code azure-openai}, {@code anthropic}), or null
 * @param upstreamModel the provider's model id of the served model, or null
 * @param endpoints every replica attempted, in order, across the fallback chain
 * @param stream    whether it was a streamed call
 * @param status    {@code ok}, or the failure's error code wire name (e.g. {@code upstream_error})
 * @param usage     tokens and cost, priced; for a failed stream the partial usage; {@link Usage#ZERO} when nothing
 *                  was generated
 * @param error     the failure's message, null on success
 */
public record ModelCall(String requested, String served, String provider, String upstreamModel, List<String> endpoints, boolean stream, String status,
                        Usage usage, Duration latency, String error) {
    public ModelCall {
        endpoints = List.copyOf(endpoints);
    }

    public boolean ok() {
        return "ok".equals(status);
    }
}
