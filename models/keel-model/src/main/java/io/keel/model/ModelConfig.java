package io.keel.model;

import io.keel.core.error.KeelException;
import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Backends;
import io.keel.core.spi.ChatProviderFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the {@code models:} section of {@code keel.yaml}: a logical model, served by one or more replicas
 * of one provider, with its price and resilience settings. See {@code docs/models.md} for the format.
 *
 * @param name            the name clients use (in {@code "model"}) and fallback chains refer to
 * @param kind            {@code chat} (default) or {@code embedding} (served by {@code /v1/embeddings}; OpenAI-compatible
 *                        providers only; its endpoints form a pool with the same retries and breakers, no fallback)
 * @param provider        the {@link ChatProviderFactory} name: {@code openai} (any OpenAI-compatible server),
 *                        {@code azure-openai}, {@code anthropic}, or any other provider module on the class path
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
     * The providers an {@code embedding} model may name: its replicas speak the OpenAI-compatible {@code /embeddings}
     * API. Chat providers are found by name through {@link ChatProviderFactory}.
     */
    public static final List<String> EMBEDDING_PROVIDERS = List.of("openai", "azure-openai");
    /** What a model name may be: it appears in URLs of the registry API and in {@code "model"} of requests. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Duration POSITIVE = Duration.ofMillis(1);
    private static final Map<String, String> WRONG_KEYS = Map.of(
            "model_id", "the upstream model id goes in 'model'",
            "pricing", "prices go in 'price: {input_per_1m: ..., output_per_1m: ...}'",
            "api_key", "API keys never go in keel.yaml or the registry; name the environment variable that holds it in 'api_key_env'");

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
     * Reads the whole {@code models:} list of {@code keel.yaml} and checks it as a whole: names unique, every fallback
     * names a chat model declared here. Errors name the full key path, e.g.
     * {@code configuration key 'models[2].endpoints[0].url' must be an http(s) URL}.
     *
     * @param root the node holding {@code models} (the file's top level)
     * @throws KeelException with code {@code invalid_request} describing the first problem
     */
    public static List<ModelConfig> list(ConfigNode root) {
        List<ModelConfig> out = root.list("models", ModelConfig::from);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < out.size(); i++) {
            if (!names.add(out.get(i).name())) throw ConfigNode.bad(root.key("models") + "[" + i + "].name", "'" + out.get(i).name() + "' is declared twice");
        }
        for (int i = 0; i < out.size(); i++) {
            List<String> fb = out.get(i).fallback();
            for (int j = 0; j < fb.size(); j++) {
                String key = root.key("models") + "[" + i + "].fallback[" + j + "]";
                if (fb.get(j).equals(out.get(i).name())) throw ConfigNode.bad(key, "names the model itself: a model cannot fall back to itself");
                String target = fb.get(j);
                if (out.stream().noneMatch(c -> c.name().equals(target) && !c.embedding())) {
                    throw ConfigNode.bad(key, "'" + target + "' is not a declared chat model; declared: "
                            + String.join(", ", out.stream().filter(c -> !c.embedding()).map(ModelConfig::name).toList()));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@link #list(ConfigNode)} over the parsed YAML value of {@code models} (a list of sections), or null for none.
     */
    public static List<ModelConfig> listFrom(Object raw) {
        if (raw == null) return List.of();
        return list(ConfigNode.detached("", Map.of("models", raw)));
    }

    /**
     * Reads one model entry that is not part of a loaded {@code keel.yaml} (a registry version, an API body); unknown
     * keys are errors.
     *
     * @param path where the entry came from, prefixed to every key in errors ({@code ""} for none)
     */
    public static ModelConfig from(String path, Object node) {
        ConfigNode entry = ConfigNode.detached(path, node);
        ModelConfig config = from(entry);
        entry.rejectUnknownKeys();
        return config;
    }

    /** Reads one model entry: the one parser of the format of docs/models.md, for keel.yaml and the registry alike. */
    public static ModelConfig from(ConfigNode m) {
        for (var wrong : WRONG_KEYS.entrySet()) {
            if (m.keys().contains(wrong.getKey())) throw m.error(wrong.getKey(), "is not a model key: " + wrong.getValue() + " (see docs/models.md)");
        }
        String name = m.requiredString("name", "the name clients send as \"model\"");
        if (!NAME.matcher(name).matches()) {
            throw m.error("name", "must be letters, digits, '.', '_', ':' and '-' (at most 100), starting with a letter or digit; got '" + name + "'");
        }
        String provider = m.requiredString("provider", "one of " + String.join(", ", Backends.names(ChatProviderFactory.class)));
        ChatProviderFactory factory = Backends.find(ChatProviderFactory.class, provider, m.key("provider"));
        String kind = m.choice("kind", "chat", "chat", "embedding");
        if (kind.equals("embedding") && !EMBEDDING_PROVIDERS.contains(provider)) {
            throw m.error("provider", "is '" + provider + "', which serves no embeddings through Keel; embedding models use "
                    + String.join(" or ", EMBEDDING_PROVIDERS) + " (the OpenAI-compatible /embeddings API)");
        }
        String modelId = m.string("model", name);
        List<EndpointConfig> endpoints = m.list("endpoints", "url", ep -> new EndpointConfig(ep.httpUrl("url")));
        if (endpoints.isEmpty()) throw m.error("endpoints", "needs at least one endpoint url, e.g. endpoints: [https://api.openai.com/v1]");
        Map<String, Object> params = m.section("params");
        Pricing pricing = Pricing.from(m.child("price"));
        String apiKeyEnv = m.string("api_key_env", null);
        String apiVersion = m.string("api_version", null);
        factory.check(m);
        Duration timeout = m.duration("timeout", Duration.ofSeconds(60), POSITIVE, null);
        ConfigNode r = m.child("retry");
        RetryPolicy retry = new RetryPolicy(r.integer("max_attempts", 3, 1, 10),
                r.duration("backoff", Duration.ofMillis(100), POSITIVE, null), r.duration("max_backoff", Duration.ofSeconds(2), POSITIVE, null),
                r.duration("max_retry_after", Duration.ofSeconds(10), POSITIVE, null));
        ConfigNode b = m.child("breaker");
        BreakerPolicy breaker = new BreakerPolicy(b.integer("failures", 3, 1, 1000), b.duration("open_for", Duration.ofSeconds(30), POSITIVE, null));
        Duration health = m.child("health_check").duration("interval", null, POSITIVE, null);
        List<String> fallback = m.strings("fallback");
        boolean streamUsage = m.bool("stream_usage", true);
        String tokenizer = m.string("tokenizer", null);
        if (tokenizer != null && !TokenEstimator.ENCODINGS.contains(tokenizer)) {
            throw m.error("tokenizer", "must be one of " + String.join(", ", TokenEstimator.ENCODINGS) + "; got '" + tokenizer + "'");
        }
        return new ModelConfig(name, kind, provider, modelId, endpoints, new LinkedHashMap<>(params), pricing, apiKeyEnv,
                apiVersion, timeout, retry, breaker, health, fallback, streamUsage, tokenizer);
    }
}
