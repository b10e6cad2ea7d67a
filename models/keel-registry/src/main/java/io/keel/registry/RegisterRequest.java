package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model entry to register, exactly as written under {@code models:} in keel.yaml (see docs/models.md), with an
 * optional note and the stage the new version starts in. The constructor checks what the registry itself relies on
 * (name, provider, endpoints, price, tokenizer); the full check of the entry is the gateway's, which the app can plug in
 * with {@link ModelRegistry#ModelRegistry(io.keel.store.sql.Database, java.util.function.Consumer)}.
 *
 * @param config the model entry; stored verbatim
 * @param notes  free text shown in listings, or null
 * @param stage  the stage a new version starts in (default development); ignored when the config is already registered
 */
public record RegisterRequest(Map<String, Object> config, String notes, Stage stage) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");
    private static final Set<String> PROVIDERS = Set.of("openai", "azure-openai", "anthropic");
    private static final Set<String> TOKENIZERS = Set.of("cl100k_base", "o200k_base");
    private static final Map<String, String> WRONG_KEYS = Map.of(
            "model_id", "the upstream model id goes in 'model'",
            "pricing", "prices go in 'price: {input_per_1m: ..., output_per_1m: ...}'",
            "api_key", "API keys never go in the registry; name the environment variable that holds it in 'api_key_env'");

    public RegisterRequest {
        if (config == null) throw unprocessable("the model entry is missing");
        config = Configs.readOnly(config);
        stage = stage == null ? Stage.DEVELOPMENT : stage;
        if (stage == Stage.ARCHIVED) throw unprocessable("a new version cannot start archived; use development, staging or production");
        notes = notes == null || notes.isBlank() ? null : notes.strip();
        for (var e : WRONG_KEYS.entrySet()) {
            if (config.containsKey(e.getKey())) throw unprocessable("'" + e.getKey() + "' is not a model key: " + e.getValue() + " (see docs/models.md)");
        }
        name(config);
        provider(config);
        endpoints(config);
        pricing(config);
        tokenizer(config);
        params(config);
    }

    /** A new version in development, without notes. */
    public static RegisterRequest of(Map<String, Object> config) {
        return new RegisterRequest(config, null, null);
    }

    /**
     * Reads an API body: the model entry plus the optional {@code notes} and {@code stage}, which are not part of the
     * stored config.
     */
    public static RegisterRequest fromBody(Map<String, Object> body) {
        Map<String, Object> config = new LinkedHashMap<>(body);
        Object notes = config.remove("notes");
        Object stage = config.remove("stage");
        if (notes != null && !(notes instanceof String)) throw unprocessable("'notes' must be a string");
        if (stage != null && !(stage instanceof String)) throw unprocessable("'stage' must be a string: development, staging or production");
        return new RegisterRequest(config, (String) notes, stage == null ? null : Stage.parse((String) stage));
    }

    public String name() {
        return name(config);
    }

    public String provider() {
        return provider(config);
    }

    /** The provider's model id: {@code model}, defaulting to the name. */
    public String modelId() {
        Object m = config.get("model");
        if (m == null) return name();
        if (!(m instanceof String s) || s.isBlank()) throw unprocessable("'model' must be the provider's model id (a string)");
        return s;
    }

    public List<String> endpoints() {
        return endpoints(config);
    }

    public Map<String, Object> params() {
        return params(config);
    }

    public Pricing pricing() {
        return pricing(config);
    }

    public String tokenizer() {
        return tokenizer(config);
    }

    /** SHA-256 of the canonical config; registering an equal config again finds the version with this hash. */
    public String contentHash() {
        return Configs.contentHash(config);
    }

    private static String name(Map<String, Object> config) {
        Object n = config.get("name");
        if (!(n instanceof String s) || s.isBlank()) throw unprocessable("the model entry needs a 'name' (the name clients send as \"model\")");
        if (!NAME.matcher(s).matches()) {
            throw unprocessable("model name '" + s + "' is not valid: use letters, digits, '.', '_', ':' and '-' (at most 100), starting with a letter or digit");
        }
        return s;
    }

    private static String provider(Map<String, Object> config) {
        Object p = config.get("provider");
        if (!(p instanceof String s) || !PROVIDERS.contains(s.toLowerCase(Locale.ROOT))) {
            throw unprocessable("'provider' must be one of openai, azure-openai, anthropic; got " + (p == null ? "nothing" : "'" + p + "'"));
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static List<String> endpoints(Map<String, Object> config) {
        Object raw = config.get("endpoints");
        List<?> items = raw instanceof List<?> l ? l : raw instanceof String s ? List.of(s) : null;
        if (items == null || items.isEmpty()) throw unprocessable("'endpoints' needs at least one URL, e.g. endpoints: [https://api.openai.com/v1]");
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            Object url = item instanceof Map<?, ?> m ? m.get("url") : item;
            if (!(url instanceof String u) || !httpUrl(u)) {
                throw unprocessable("endpoints[" + i + "] must be an http(s) URL or {url: ...}; got " + (url == null ? "nothing" : "'" + url + "'"));
            }
            urls.add(u);
        }
        return urls;
    }

    private static boolean httpUrl(String u) {
        try {
            URI uri = URI.create(u);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> params(Map<String, Object> config) {
        Object p = config.get("params");
        if (p == null) return Map.of();
        if (!(p instanceof Map<?, ?>)) throw unprocessable("'params' must be a mapping of request parameters, e.g. {temperature: 0.2}");
        return Configs.readOnly((Map<String, Object>) p);
    }

    private static Pricing pricing(Map<String, Object> config) {
        Object p = config.get("price");
        if (p == null) return Pricing.FREE;
        if (!(p instanceof Map<?, ?> m)) throw unprocessable("'price' must be {input_per_1m: ..., output_per_1m: ...}");
        for (Object k : m.keySet()) {
            if (!Set.of("input_per_1m", "output_per_1m", "cached_input_per_1m").contains(String.valueOf(k))) {
                throw unprocessable("price." + k + " is not a known key; use input_per_1m, output_per_1m, cached_input_per_1m");
            }
        }
        Double cached = price(m, "cached_input_per_1m");
        return new Pricing(orZero(price(m, "input_per_1m")), orZero(price(m, "output_per_1m")), cached);
    }

    private static Double price(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) return null;
        if (!(v instanceof Number n) || n.doubleValue() < 0 || !Double.isFinite(n.doubleValue())) {
            throw unprocessable("price." + key + " must be a number of US dollars per million tokens, 0 or more; got '" + v + "'");
        }
        return n.doubleValue();
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static String tokenizer(Map<String, Object> config) {
        Object t = config.get("tokenizer");
        if (t == null) return null;
        if (!(t instanceof String s) || !TOKENIZERS.contains(s)) throw unprocessable("'tokenizer' must be cl100k_base or o200k_base; got '" + t + "'");
        return s;
    }

    static KeelException unprocessable(String message) {
        return new KeelException(ErrorCode.UNPROCESSABLE, message);
    }
}
