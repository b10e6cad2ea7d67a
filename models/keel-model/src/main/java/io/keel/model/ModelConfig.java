package io.keel.model;

import io.keel.core.error.KeelException;
import io.keel.model.internal.ConfigMap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the {@code models:} section of {@code keel.yaml}: a logical model, served by one or more replicas
 * of one provider, with its price and resilience settings. See {@code docs/models.md} for the format.
 *
 * @param name            the name clients use (in {@code "model"}) and fallback chains refer to
 * @param kind            {@code chat} (default) or {@code embedding} (served by {@code /v1/embeddings}; OpenAI-compatible
 *                        providers only; its endpoints form a pool with the same retries and breakers, no fallback)
 * @param provider        {@code openai} (any OpenAI-compatible server), {@code azure-openai} or {@code anthropic}
 * @param modelId         the provider's model id sent upstream (defaults to {@code name})
 * @param endpoints       the replicas; at least one
 * @param params          default request parameters (e.g. {@code temperature}) sent unless a request sets them
 * @param pricing         US dollars per million input and output tokens
 * @param apiKeyEnv       environment variable holding the API key, or null when the server needs none
 * @param apiVersion      Azure's {@code api-version}; required for {@code azure-openai}
 * @param timeout         per-attempt limit on waiting for the first byte and on silence inside a stream
 * @param retry           retry policy
 * @param breaker         passive ejection policy per replica
 * @param healthCheck     interval of active health checks, or null for none
 * @param fallback        models to try, in order, when this one fails with a retryable error
 * @param streamUsage     ask streams for usage ({@code stream_options.include_usage}); on by default
 * @param tokenizer       tokenizer for usage estimates ({@code cl100k_base} or {@code o200k_base}); null picks by model id
 */
public record ModelConfig(String name, String kind, String provider, String modelId, List<EndpointConfig> endpoints,
                          Map<String, Object> params, Pricing pricing, String apiKeyEnv, String apiVersion,
                          Duration timeout, RetryPolicy retry, BreakerPolicy breaker, Duration healthCheck,
                          List<String> fallback, boolean streamUsage, String tokenizer) {
    /** Whether this model serves embeddings rather than chat. */
    public boolean embedding() {
        return kind.equals("embedding");
    }

    /**
     * {@code price:} either per-token prices ({@code input_per_1m}, {@code output_per_1m}, and {@code cached_input_per_1m}
     * for prompt tokens the provider read from its cache, default the input price), or for a self-hosted model
     * the GPU-hour price over its measured throughput ({@code gpu_hour_usd}, {@code tokens_per_second}), which prices
     * every token, in or out, at {@code gpu_hour_usd / (3600 * tokens_per_second)}.
     */
    private static Pricing pricing(ConfigMap price) {
        double gpuHour = price.decimal("gpu_hour_usd", -1, 0);
        double tps = price.decimal("tokens_per_second", -1, 0);
        Pricing p;
        if (gpuHour >= 0 || tps >= 0) {
            if (gpuHour < 0 || !(tps > 0)) {
                throw ConfigMap.bad(price.key("gpu_hour_usd"), "and tokens_per_second go together: the GPU-hour price in dollars and "
                        + "the measured throughput of one GPU in tokens per second (> 0)");
            }
            if (price.has("input_per_1m") || price.has("output_per_1m")) {
                throw ConfigMap.bad(price.key("gpu_hour_usd"), "replaces input_per_1m and output_per_1m; set one or the other");
            }
            double perMillion = gpuHour / (3600.0 * tps) * 1_000_000.0;
            p = new Pricing(perMillion, perMillion);
        } else {
            double input = price.decimal("input_per_1m", 0, 0);
            p = new Pricing(input, price.decimal("output_per_1m", 0, 0), price.decimal("cached_input_per_1m", input, 0));
        }
        price.rejectUnknown();
        return p;
    }

    public static final Set<String> PROVIDERS = Set.of("openai", "azure-openai", "anthropic");

    public ModelConfig {
        Objects.requireNonNull(name, "name");
        kind = Objects.requireNonNullElse(kind, "chat");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(modelId, "modelId");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) throw new IllegalArgumentException("a model needs at least one endpoint");
        params = Map.copyOf(params == null ? Map.of() : params);
        pricing = Objects.requireNonNullElse(pricing, Pricing.FREE);
        timeout = Objects.requireNonNullElse(timeout, Duration.ofSeconds(60));
        retry = Objects.requireNonNullElse(retry, RetryPolicy.DEFAULT);
        breaker = Objects.requireNonNullElse(breaker, BreakerPolicy.DEFAULT);
        fallback = List.copyOf(fallback == null ? List.of() : fallback);
    }

    /**
     * Reads the whole {@code models:} list and checks it as a whole: names unique, every fallback names a model
     * declared here. Errors name the full key path, e.g. {@code models[2].endpoints[0].url: must be an http(s) URL}.
     *
     * @param raw the parsed YAML value of {@code models} (a list of maps), or null for none
     * @throws KeelException with code {@code invalid_request} describing the first problem
     */
    public static List<ModelConfig> listFrom(Object raw) {
        List<ModelConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Map.Entry<String, Object>> items = ConfigMap.items("models", raw);
        for (Map.Entry<String, Object> item : items) {
            ModelConfig m = from(item.getKey(), item.getValue());
            if (!names.add(m.name())) throw ConfigMap.bad(item.getKey() + ".name", "'" + m.name() + "' is declared twice");
            out.add(m);
        }
        for (int i = 0; i < out.size(); i++) {
            List<String> fb = out.get(i).fallback();
            for (int j = 0; j < fb.size(); j++) {
                String key = "models[" + i + "].fallback[" + j + "]";
                if (fb.get(j).equals(out.get(i).name())) throw ConfigMap.bad(key, "a model cannot fall back to itself");
                String target = fb.get(j);
                if (out.stream().noneMatch(c -> c.name().equals(target) && !c.embedding())) {
                    throw ConfigMap.bad(key, "'" + target + "' is not a declared chat model; declared: "
                            + String.join(", ", out.stream().filter(c -> !c.embedding()).map(ModelConfig::name).toList()));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Reads one model entry found at {@code path} (e.g. {@code models[0]}). */
    public static ModelConfig from(String path, Object node) {
        ConfigMap m = ConfigMap.of(path, node);
        String name = m.requiredString("name");
        String provider = m.requiredString("provider").toLowerCase(Locale.ROOT);
        if (!PROVIDERS.contains(provider)) {
            throw ConfigMap.bad(m.key("provider"), "must be one of openai, azure-openai, anthropic; got '" + provider + "'");
        }
        String kind = m.string("kind", "chat").toLowerCase(Locale.ROOT);
        if (!kind.equals("chat") && !kind.equals("embedding")) {
            throw ConfigMap.bad(m.key("kind"), "must be chat or embedding; got '" + kind + "'");
        }
        if (kind.equals("embedding") && provider.equals("anthropic")) {
            throw ConfigMap.bad(m.key("provider"), "anthropic serves no embeddings; use openai or azure-openai");
        }
        String modelId = m.string("model", name);
        List<EndpointConfig> endpoints = new ArrayList<>();
        for (Map.Entry<String, Object> e : ConfigMap.items(m.key("endpoints"), m.raw("endpoints"))) {
            Object v = e.getValue();
            ConfigMap ep = v instanceof String s ? ConfigMap.of(e.getKey(), Map.of("url", s)) : ConfigMap.of(e.getKey(), v);
            endpoints.add(new EndpointConfig(ep.httpUrl("url")));
            ep.rejectUnknown();
        }
        if (endpoints.isEmpty()) throw ConfigMap.bad(m.key("endpoints"), "needs at least one endpoint url");
        Map<String, Object> params = m.section("params");
        Pricing pricing = pricing(m.child("price"));
        String apiKeyEnv = m.string("api_key_env", null);
        String apiVersion = m.string("api_version", null);
        if (provider.equals("azure-openai") && apiVersion == null) {
            throw ConfigMap.bad(m.key("api_version"), "is required for azure-openai (e.g. 2024-10-21)");
        }
        Duration timeout = m.duration("timeout", Duration.ofSeconds(60));
        ConfigMap r = m.child("retry");
        RetryPolicy retry = new RetryPolicy(r.integer("max_attempts", 3, 1, 10),
                r.duration("backoff", Duration.ofMillis(100)), r.duration("max_backoff", Duration.ofSeconds(2)),
                r.duration("max_retry_after", Duration.ofSeconds(10)));
        r.rejectUnknown();
        ConfigMap b = m.child("breaker");
        BreakerPolicy breaker = new BreakerPolicy(b.integer("failures", 3, 1, 1000), b.duration("open_for", Duration.ofSeconds(30)));
        b.rejectUnknown();
        ConfigMap hc = m.child("health_check");
        Duration health = hc.duration("interval", null);
        hc.rejectUnknown();
        List<String> fallback = m.strings("fallback");
        boolean streamUsage = m.bool("stream_usage", true);
        String tokenizer = m.string("tokenizer", null);
        if (tokenizer != null && !TokenEstimator.ENCODINGS.contains(tokenizer)) {
            throw ConfigMap.bad(m.key("tokenizer"), "must be one of " + String.join(", ", TokenEstimator.ENCODINGS)
                    + "; got '" + tokenizer + "'");
        }
        m.rejectUnknown();
        return new ModelConfig(name, kind, provider, modelId, endpoints, new LinkedHashMap<>(params), pricing, apiKeyEnv,
                apiVersion, timeout, retry, breaker, health, fallback, streamUsage, tokenizer);
    }
}
