package io.keel.model;

import java.net.URI;
import java.util.Objects;

/**
 * One replica of a model.
 *
 * @param url the API root ({@code http://vllm-0:8000/v1}), Azure's deployment URL
 *            ({@code https://NAME.openai.azure.com/openai/deployments/DEPLOYMENT}), or Anthropic's
 *            ({@code https://api.anthropic.com})
 */
public record EndpointConfig(URI url) {
    public EndpointConfig {
        Objects.requireNonNull(url, "url");
    }
}
