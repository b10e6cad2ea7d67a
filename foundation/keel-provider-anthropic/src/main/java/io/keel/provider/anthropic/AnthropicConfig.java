package io.keel.provider.anthropic;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to reach the Anthropic Messages API.
 *
 * @param baseUrl          API root, {@code https://api.anthropic.com}; {@code /v1/messages} is appended
 * @param apiKey           sent as {@code x-api-key}
 * @param version          the {@code anthropic-version} header
 * @param timeout          per-attempt limit on waiting for the response to start, and on silence inside a stream
 * @param defaultMaxTokens {@code max_tokens} when a request sets none (the API requires one)
 */
public record AnthropicConfig(URI baseUrl, String apiKey, String version, Duration timeout, int defaultMaxTokens) {
    public static final String DEFAULT_VERSION = "2023-06-01";

    public AnthropicConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        version = Objects.requireNonNullElse(version, DEFAULT_VERSION);
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(60));
        if (defaultMaxTokens <= 0) throw new IllegalArgumentException("defaultMaxTokens must be > 0");
        String s = baseUrl.toString();
        if (s.endsWith("/")) baseUrl = URI.create(s.substring(0, s.length() - 1));
    }

    public static AnthropicConfig of(URI baseUrl, String apiKey) {
        return new AnthropicConfig(baseUrl, apiKey, DEFAULT_VERSION, null, 4096);
    }

    public AnthropicConfig withTimeout(Duration newTimeout) {
        return new AnthropicConfig(baseUrl, apiKey, version, newTimeout, defaultMaxTokens);
    }

    URI messagesUri() {
        return URI.create(baseUrl + "/v1/messages");
    }
}
