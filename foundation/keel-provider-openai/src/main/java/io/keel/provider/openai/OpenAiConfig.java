package io.keel.provider.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach one OpenAI-compatible endpoint.
 *
 * <p>For {@link Dialect#OPENAI} (OpenAI, vLLM, TGI, Ollama, LM Studio, ...) {@code baseUrl} is the API root that
 * {@code /chat/completions} is appended to, e.g. {@code http://vllm-0:8000/v1}, and the key is sent as
 * {@code Authorization: Bearer}. For {@link Dialect#AZURE} it is the deployment URL,
 * {@code https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT}; Keel appends {@code ?api-version=} and sends
 * the key in the {@code api-key} header.
 *
 * @param apiKey      the key, or null for servers that need none (a local vLLM)
 * @param timeout     per-attempt limit on waiting for the response to start, and on silence between stream events
 * @param apiVersion  Azure's {@code api-version}; required for {@link Dialect#AZURE}, ignored otherwise
 * @param headers     extra headers sent with every request
 * @param streamUsage whether to ask streams for usage ({@code stream_options.include_usage}); turn off only for a
 *                    server that rejects the option
 */
public record OpenAiConfig(URI baseUrl, String apiKey, Duration timeout, Dialect dialect, String apiVersion,
                           Map<String, String> headers, boolean streamUsage) {
    /** Which URL and authentication scheme the endpoint uses. */
    public enum Dialect { OPENAI, AZURE }

    public OpenAiConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(dialect, "dialect");
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(60));
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
        if (dialect == Dialect.AZURE && (apiVersion == null || apiVersion.isBlank())) {
            throw new IllegalArgumentException("Azure OpenAI needs an api-version, e.g. 2024-10-21");
        }
        headers = Map.copyOf(headers == null ? Map.of() : headers);
        String s = baseUrl.toString();
        if (s.endsWith("/")) baseUrl = URI.create(s.substring(0, s.length() - 1));
    }

    public static OpenAiConfig openAi(URI baseUrl, String apiKey) {
        return new OpenAiConfig(baseUrl, apiKey, null, Dialect.OPENAI, null, Map.of(), true);
    }

    public static OpenAiConfig azure(URI deploymentUrl, String apiKey, String apiVersion) {
        return new OpenAiConfig(deploymentUrl, apiKey, null, Dialect.AZURE, apiVersion, Map.of(), true);
    }

    public OpenAiConfig withTimeout(Duration newTimeout) {
        return new OpenAiConfig(baseUrl, apiKey, newTimeout, dialect, apiVersion, headers, streamUsage);
    }

    public OpenAiConfig withStreamUsage(boolean ask) {
        return new OpenAiConfig(baseUrl, apiKey, timeout, dialect, apiVersion, headers, ask);
    }

    /** The full URL of an operation, e.g. {@code chat/completions}. */
    public URI uri(String operation) {
        String u = baseUrl + "/" + operation;
        return URI.create(dialect == Dialect.AZURE ? u + "?api-version=" + apiVersion : u);
    }
}
