package io.keel.core.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One endpoint of a chat model entry ({@code models:} in {@code keel.yaml}), as a {@link ChatProviderFactory} builds
 * a client for it.
 *
 * @param url         the endpoint's API root (for Azure, the deployment URL)
 * @param apiKey      the key read from the entry's {@code api_key_env}, or null when the server needs none
 * @param modelId     the provider's model id sent upstream
 * @param params      default request parameters (e.g. {@code temperature}) sent unless a request sets them
 * @param timeout     per-attempt limit on waiting for the first byte and on silence inside a stream
 * @param apiVersion  the entry's {@code api_version}, or null
 * @param streamUsage whether streams should ask for usage where the provider needs asking
 * @since 0.1
 */
public record ChatEndpoint(URI url, String apiKey, String modelId, Map<String, Object> params, Duration timeout,
                           String apiVersion, boolean streamUsage) {
    public ChatEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(modelId, "modelId");
        params = Map.copyOf(params == null ? Map.of() : params);
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(60));
    }

    /** The probe's time limit: the endpoint's timeout, at most five seconds. */
    public Duration probeTimeout() {
        return timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
    }
}
