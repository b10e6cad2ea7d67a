package io.keel.model;

import io.keel.core.answer.Usage;
import io.keel.core.chat.Capability;
import io.keel.core.chat.ChatModel;
import io.keel.core.chat.ChatRequest;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.StreamFailedException;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.provider.openai.OpenAiEmbeddingModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The configured models behind one front door. A request's {@code model} names a configured model; the gateway sends
 * it to that model's {@link ReplicaPool} and, when the pool fails with a retryable error (after its own retries), to
 * each model of its fallback chain in order. A stream falls back only while it has delivered nothing.
 *
 * <p>Every response leaves the gateway with priced usage: the provider's counts when it reported them, otherwise a
 * tokenizer's count marked {@code estimated}; a stream is priced exactly like the same non-streamed call. A stream that
 * breaks ends in {@link StreamFailedException} whose partial response carries the priced partial usage, and the
 * {@link ModelCallListener} sees it as failed. Thread-safe.
 *
 * <pre>{@code
 * ModelGateway gateway = ModelGateway.fromConfig(config.raw("models"), System.getenv(), ModelCallListener.NONE);
 * ChatResponse r = gateway.chat(ChatRequest.of("llama-70b", List.of(ChatMessage.user("Hi"))));
 * }</pre>
 */
public final class ModelGateway implements ChatModel, AutoCloseable {
    /** Copy-on-write: {@link #replace} swaps a model while requests are in flight. */
    private volatile Map<String, Model> models;
    private final Map<String, EmbeddingPool> embeddings;
    private final Map<String, Pricing> embeddingPrices;
    private final ModelCallListener listener;

    private ModelGateway(Map<String, Model> models, Map<String, EmbeddingPool> embeddings, Map<String, Pricing> embeddingPrices,
                         ModelCallListener listener) {
        checkFallbacks(models);
        this.models = Map.copyOf(models);
        this.embeddings = new LinkedHashMap<>(embeddings);
        this.embeddingPrices = Map.copyOf(embeddingPrices);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    private static void checkFallbacks(Map<String, Model> models) {
        for (Model m : models.values()) {
            for (String f : m.fallback()) {
                if (!models.containsKey(f)) throw new IllegalArgumentException("model '" + m.name()
                        + "' falls back to '" + f + "', which is not configured");
            }
        }
    }

    /**
     * Serves {@code config} under its name from now on (a model registry promotion or rollback), without a restart:
     * requests already running finish on the old replicas, which are closed after {@code config.timeout()} twice over.
     *
     * @param version the registry version now serving, recorded in lineage; null when not registered
     */
    public synchronized void replace(ModelConfig config, String version, ReplicaPool pool) {
        Map<String, Model> next = new LinkedHashMap<>(models);
        Model old = next.get(config.name());
        next.put(config.name(), new Model(config.name(), pool, config.pricing(), config.fallback(), tokensFor(config), version,
                config.provider(), config.modelId(), old == null ? next.size() : old.order()));
        checkFallbacks(next);
        models = Map.copyOf(next);
        if (old != null && old.pool() != pool) {
            Duration grace = config.timeout().multipliedBy(2);
            Thread.ofVirtual().name("keel-retire-" + config.name()).start(() -> {
                try {
                    Thread.sleep(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                old.pool().close();
            });
        }
    }

    /** The registry version serving {@code modelName}, or null when unregistered or unknown. */
    public String versionOf(String modelName) {
        Model m = modelName == null ? null : models.get(modelName);
        return m == null ? null : m.version();
    }

    /**
     * The most {@code request} can cost, in nano-dollars: its prompt tokens (estimated) plus its {@code max_tokens} (or
     * {@code defaultMaxTokens} when it sets none), at the highest input and output prices along the model's fallback
     * chain — what a budget reserves before the call.
     */
    public long worstCaseNanos(ChatRequest request, int defaultMaxTokens) {
        Model first = resolve(request.model());
        double in = 0;
        double out = 0;
        for (Model m : chain(first)) {
            in = Math.max(in, m.pricing().inputPerMillion());
            out = Math.max(out, m.pricing().outputPerMillion());
        }
        long prompt = first.tokens().promptTokens(request);
        long completion = request.maxTokens() != null ? request.maxTokens() : defaultMaxTokens;
        return io.keel.core.budget.Nanos.of(prompt * in / 1_000_000.0 + completion * out / 1_000_000.0);
    }

    /**
     * Builds the gateway from the {@code models:} section of {@code keel.yaml}.
     *
     * @param rawModels the parsed YAML list (maps of strings, numbers, lists); null for no models
     * @param env       environment lookup for the {@code api_key_env} variables, e.g. {@code System::getenv}
     * @throws KeelException naming the key path when the section is invalid or a named key variable is unset
     */
    public static ModelGateway fromConfig(Object rawModels, Function<String, String> env, ModelCallListener listener) {
        return of(ModelConfig.listFrom(rawModels).stream().map(c -> new Versioned(c, null)).toList(), env, listener);
    }

    /** A model's configuration and the registry version it comes from (null when it is not registered). */
    public record Versioned(ModelConfig config, String version) {
    }

    /** Builds the gateway from resolved model versions (the model registry's view of {@code models:}). */
    public static ModelGateway of(List<Versioned> models, Function<String, String> env, ModelCallListener listener) {
        Builder b = builder().listener(listener);
        for (int i = 0; i < models.size(); i++) {
            ModelConfig c = models.get(i).config();
            String key = apiKey(c, env, "models[" + i + "]");
            if (c.embedding()) b.embeddings(c.name(), Providers.embeddingPool(c, key), c.pricing());
            else b.model(c, models.get(i).version(), Providers.pool(c, key));
        }
        return b.build();
    }

    /** As {@link #replace(ModelConfig, String, ReplicaPool)}, building the replicas from {@code config}. */
    public void replace(ModelConfig config, String version, Function<String, String> env) {
        if (config.embedding()) {
            throw KeelException.invalid("embedding model '" + config.name() + "' changed in the registry; restart Keel to serve it");
        }
        replace(config, version, Providers.pool(config, apiKey(config, env, "model '" + config.name() + "'")));
    }

    private static String apiKey(ModelConfig c, Function<String, String> env, String where) {
        if (c.apiKeyEnv() == null) return null;
        String key = env.apply(c.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw KeelException.invalid(where + ".api_key_env: environment variable " + c.apiKeyEnv()
                    + " is not set; export it or remove api_key_env for a server that needs no key");
        }
        return key;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configured model names, in declaration order. */
    public List<String> modelNames() {
        return models.values().stream().sorted(java.util.Comparator.comparingInt(Model::order)).map(Model::name).toList();
    }

    /** Configured embedding models, in declaration order. */
    public List<String> embeddingModelNames() {
        return List.copyOf(embeddings.keySet());
    }

    /** The embedding model of that name, if configured. */
    public java.util.Optional<EmbeddingPool> embeddingModel(String modelName) {
        return java.util.Optional.ofNullable(embeddings.get(modelName));
    }

    /** {@code tokens} embedded by {@code modelName}, priced at its input price (zero for an unknown model). */
    public Usage priceEmbeddings(String modelName, long tokens) {
        return embeddingPrices.getOrDefault(modelName, Pricing.FREE).price(new Usage(tokens, 0, 0.0, false));
    }

    public boolean has(String modelName) {
        return models.containsKey(modelName);
    }

    /** The pool serving a model, e.g. to inspect replica states. */
    public ReplicaPool pool(String modelName) {
        return resolve(modelName).pool();
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> caps = EnumSet.noneOf(Capability.class);
        models.values().forEach(m -> caps.addAll(m.pool().capabilities()));
        return caps;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        long start = System.nanoTime();
        Model first = resolve(request.model());
        ReplicaPool.Attempts attempts = new ReplicaPool.Attempts();
        KeelException last = null;
        Model tried = first;
        for (Model m : chain(first)) {
            tried = m;
            try {
                ChatResponse r = m.pool().chat(request, attempts);
                ChatResponse priced = account(m, request, r);
                record(request, m, attempts, false, "ok", priced.usage(), start, null);
                return priced;
            } catch (KeelException e) {
                last = e;
                if (!fallsBack(e)) break;
            }
        }
        record(request, tried, attempts, false, last.code().wireName(), Usage.ZERO, start, last.getMessage());
        throw last;
    }

    @Override
    public void stream(ChatRequest request, StreamListener target) {
        Objects.requireNonNull(target, "listener");
        long start = System.nanoTime();
        Model first;
        try {
            first = resolve(request.model());
        } catch (KeelException e) {
            Terminal.error(target, e);
            return;
        }
        ReplicaPool.Attempts attempts = new ReplicaPool.Attempts();
        Throwable last = null;
        Model tried = first;
        for (Model m : chain(first)) {
            tried = m;
            HeldTerminalRelay relay = new HeldTerminalRelay(target);
            m.pool().stream(request, relay, attempts);
            if (relay.completed != null) {
                ChatResponse priced = account(m, request, relay.completed);
                record(request, m, attempts, true, "ok", priced.usage(), start, null);
                Terminal.complete(target, priced);
                return;
            }
            last = relay.error;
            if (relay.started || !(last instanceof KeelException k) || !fallsBack(k)) break;
        }
        Throwable reported = last;
        Usage usage = Usage.ZERO;
        String status = last instanceof KeelException k ? k.code().wireName() : ErrorCode.INTERNAL.wireName();
        if (last instanceof StreamFailedException broken) {
            ChatResponse partial = broken.partial();
            Usage u = partial.usage() != null ? partial.usage() : tried.tokens().estimate(request, partial);
            usage = tried.pricing().price(u);
            reported = broken.withPartial(partial.withUsage(usage).withModel(tried.name()));
            status = broken.upstreamCode().wireName();
        }
        record(request, tried, attempts, true, status, usage, start, String.valueOf(last.getMessage()));
        Terminal.error(target, reported);
    }

    private ChatResponse account(Model m, ChatRequest request, ChatResponse r) {
        Usage u = r.usage() != null ? r.usage() : m.tokens().estimate(request, r);
        return r.withUsage(m.pricing().price(u)).withModel(m.name());
    }

    private static boolean fallsBack(KeelException e) {
        return e.retryable() || e.code() == ErrorCode.UNSUPPORTED_CAPABILITY;
    }

    private List<Model> chain(Model first) {
        List<Model> chain = new ArrayList<>(1 + first.fallback().size());
        chain.add(first);
        for (String f : first.fallback()) chain.add(models.get(f));
        return chain;
    }

    private Model resolve(String name) {
        if (name == null) throw KeelException.invalid("the request names no model; configured: " + String.join(", ", modelNames()));
        Model m = models.get(name);
        if (m == null) {
            throw KeelException.notFound("model '" + name + "' is not configured; configured models: "
                    + (models.isEmpty() ? "none (add a models: section to keel.yaml)" : String.join(", ", modelNames())));
        }
        return m;
    }

    private void record(ChatRequest request, Model served, ReplicaPool.Attempts attempts, boolean stream, String status,
                        Usage usage, long start, String error) {
        try {
            listener.onCall(new ModelCall(request.model(), served.name(), served.provider(), served.upstreamModel(), attempts.endpoints, stream, status, usage,
                    Duration.ofNanos(System.nanoTime() - start), error));
        } catch (RuntimeException ignored) {
            // observers must not break calls
        }
    }

    @Override
    public void close() {
        models.values().forEach(m -> m.pool().close());
        embeddings.values().forEach(EmbeddingPool::close);
    }

    private record Model(String name, ReplicaPool pool, Pricing pricing, List<String> fallback, TokenEstimator tokens,
                         String version, String provider, String upstreamModel, int order) {
    }

    private static TokenEstimator tokensFor(ModelConfig config) {
        return config.tokenizer() != null ? TokenEstimator.named(config.tokenizer()) : TokenEstimator.forModel(config.modelId());
    }

    /** Assembles a gateway from pools built elsewhere (tests, embedding applications). */
    public static final class Builder {
        private final Map<String, Model> models = new LinkedHashMap<>();
        private final Map<String, EmbeddingPool> embeddings = new LinkedHashMap<>();
        private final Map<String, Pricing> embeddingPrices = new LinkedHashMap<>();
        private ModelCallListener listener = ModelCallListener.NONE;

        public Builder listener(ModelCallListener l) {
            this.listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /** Adds a configured model with its pool. */
        public Builder model(ModelConfig config, ReplicaPool pool) {
            return model(config, null, pool);
        }

        /** Adds a model served as registry version {@code version}. */
        public Builder model(ModelConfig config, String version, ReplicaPool pool) {
            return add(config.name(), pool, config.pricing(), config.fallback(), tokensFor(config), version, config.provider(),
                    config.modelId());
        }

        public Builder model(String name, ReplicaPool pool, Pricing pricing, List<String> fallback, TokenEstimator tokens) {
            return add(name, pool, pricing, fallback, tokens, null, null, null);
        }

        private Builder add(String name, ReplicaPool pool, Pricing pricing, List<String> fallback, TokenEstimator tokens,
                            String version, String provider, String upstreamModel) {
            if (models.containsKey(name)) throw new IllegalArgumentException("model '" + name + "' added twice");
            models.put(name, new Model(name, pool, pricing, List.copyOf(fallback), tokens, version, provider, upstreamModel,
                    models.size()));
            return this;
        }

        /** Adds an embedding model with one endpoint served through {@code /v1/embeddings}. */
        public Builder embeddings(String name, OpenAiEmbeddingModel model) {
            return embeddings(name, EmbeddingPool.of(name, model), Pricing.FREE);
        }

        /** Adds a priced embedding model served through {@code /v1/embeddings}. */
        public Builder embeddings(String name, EmbeddingPool pool, Pricing pricing) {
            if (embeddings.containsKey(name) || models.containsKey(name)) throw new IllegalArgumentException("model '" + name + "' added twice");
            embeddings.put(name, Objects.requireNonNull(pool, "pool"));
            embeddingPrices.put(name, Objects.requireNonNull(pricing, "pricing"));
            return this;
        }

        public ModelGateway build() {
            return new ModelGateway(models, embeddings, embeddingPrices, listener);
        }
    }
}
