package io.keel.model;

import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.Backend;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbedderFactory;
import io.keel.provider.openai.OpenAiEmbedder;
import io.keel.provider.openai.OpenAiEmbedderConfig;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code embedding.backend: openai}: an {@link OpenAiEmbedder} whose requests go through an {@link EmbeddingPool},
 * the model gateway's replica pool for embeddings, over the configured endpoints. Besides the keys of
 * {@link OpenAiEmbedderConfig#from}, it reads where and how to call the server:
 * <ul>
 *   <li>{@code endpoints}: the API roots ({@code http://tei-0:8080/v1}; Azure: the deployment URL), a list or a
 *       comma-separated string (required);</li>
 *   <li>{@code api}: {@code openai} (default; OpenAI, TEI, vLLM, Ollama) or {@code azure};
 *       {@code api_version} (Azure, required there);</li>
 *   <li>{@code api_key_env}: the environment variable holding the key (none: no key is sent);</li>
 *   <li>{@code timeout} (30s per attempt), {@code retry.*}, {@code breaker.*}, {@code health_check.interval}: as for
 *       a model under {@code models:} (docs/models.md).</li>
 * </ul>
 */
@Backend(OpenAiEmbedderFactory.NAME)
public final class OpenAiEmbedderFactory implements EmbedderFactory {
    public static final String NAME = "openai";

    private final Function<String, String> env;

    public OpenAiEmbedderFactory() {
        this(System::getenv);
    }

    /** With {@code env} in place of the process environment, for the API key. */
    OpenAiEmbedderFactory(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public void check(ConfigNode section) {
        OpenAiEmbedderConfig.from(section);
        pool(section);
    }

    @Override
    public Embedder create(ConfigNode section) {
        OpenAiEmbedderConfig config = OpenAiEmbedderConfig.from(section);
        ModelConfig pool = pool(section);
        String apiKey = null;
        if (pool.apiKeyEnv() != null) {
            apiKey = env.apply(pool.apiKeyEnv());
            if (apiKey == null || apiKey.isBlank()) {
                throw KeelException.invalid("configuration key '" + key(section, "api_key_env") + "' names the environment variable "
                        + pool.apiKeyEnv() + ", which is not set; export the embedding server's API key in it");
            }
        }
        String upstream = "embedding server '" + config.model() + "' at " + pool.endpoints().stream().map(e -> e.url().toString()).toList();
        EmbeddingPool replicas = Providers.embeddingPool(pool, apiKey);
        try {
            return new OpenAiEmbedder(config, upstream, replicas::embed, replicas);
        } catch (RuntimeException e) {
            replicas.close();
            throw e;
        }
    }

    /** The pool settings, as the model entry the gateway's pool is built from. */
    private static ModelConfig pool(ConfigNode n) {
        List<URI> urls = endpoints(n);
        String api = n.string("api", "openai").strip().toLowerCase(Locale.ROOT);
        if (!api.equals("openai") && !api.equals("azure")) {
            throw ConfigNode.bad(key(n, "api"), "must be openai (OpenAI, TEI, vLLM, Ollama) or azure; got '" + api + "'");
        }
        String apiVersion = n.string("api_version", null);
        if (api.equals("azure") && (apiVersion == null || apiVersion.isBlank())) {
            throw ConfigNode.bad(key(n, "api_version"), "is required when api is azure (e.g. 2024-10-21)");
        }
        String apiKeyEnv = n.string("api_key_env", null);
        Duration timeout = n.duration("timeout", Duration.ofSeconds(30));
        if (timeout.isZero() || timeout.isNegative()) throw ConfigNode.bad(key(n, "timeout"), "must be > 0");
        ConfigNode r = n.child("retry");
        RetryPolicy retry = new RetryPolicy(r.integer("max_attempts", 3, 1, 10), r.duration("backoff", Duration.ofMillis(100)),
                r.duration("max_backoff", Duration.ofSeconds(2)), r.duration("max_retry_after", Duration.ofSeconds(10)));
        ConfigNode b = n.child("breaker");
        BreakerPolicy breaker = new BreakerPolicy(b.integer("failures", 3, 1, 1000), b.duration("open_for", Duration.ofSeconds(30)));
        Duration health = n.child("health_check").duration("interval", null);
        List<EndpointConfig> endpoints = urls.stream().map(EndpointConfig::new).toList();
        String model = n.string("model", "");
        return new ModelConfig("embedding", "embedding", api.equals("azure") ? "azure-openai" : "openai",
                model.isBlank() ? "unnamed" : model, endpoints, Map.of(), null, apiKeyEnv == null || apiKeyEnv.isBlank() ? null : apiKeyEnv,
                apiVersion, timeout, retry, breaker, health, List.of(), true, null);
    }

    private static List<URI> endpoints(ConfigNode n) {
        Object raw = n.raw("endpoints");
        List<String> values = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object o : list) values.add(o instanceof Map<?, ?> m && m.get("url") != null ? String.valueOf(m.get("url")) : String.valueOf(o));
        } else {
            String s = n.string("endpoints", null);
            if (s != null) for (String part : s.split(",")) if (!part.isBlank()) values.add(part.strip());
        }
        if (values.isEmpty()) {
            throw ConfigNode.bad(key(n, "endpoints"), "needs at least one URL of an OpenAI-compatible embeddings server, "
                    + "e.g. http://tei:8080/v1 (Keel appends /embeddings)");
        }
        List<URI> out = new ArrayList<>();
        for (String v : values) {
            try {
                URI u = URI.create(v);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null) throw new IllegalArgumentException();
                out.add(u);
            } catch (IllegalArgumentException e) {
                throw ConfigNode.bad(key(n, "endpoints"), "must hold http(s) URLs; got '" + v + "'");
            }
        }
        return out;
    }

    private static String key(ConfigNode n, String key) {
        return n.path().isEmpty() ? key : n.path() + "." + key;
    }
}
