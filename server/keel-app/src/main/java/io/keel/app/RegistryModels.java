package io.keel.app;

import io.keel.core.error.KeelException;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelConfig;
import io.keel.model.ModelGateway;
import io.keel.registry.ModelRegistry;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.RegisteredModel;
import io.keel.registry.RegistryChange;
import io.keel.registry.Stage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The model registry as the source of truth for what the gateway serves: {@code keel.yaml}'s {@code models:} entries
 * seed it (each changed entry becomes a new version in production, an unchanged one is a no-op), the gateway is built
 * from each model's resolved version, and every later promotion or rollback — through this process, the API, the CLI
 * or another instance — swaps the served version without a restart.
 */
final class RegistryModels {
    private static final Logger LOG = Logger.getLogger(RegistryModels.class.getName());
    static final String SEED_ACTOR = "keel.yaml";

    private RegistryModels() {
    }

    /** Registers every {@code models:} entry of the configuration; returns nothing new when nothing changed. */
    static void seed(ModelRegistry registry, Object rawModels) {
        if (rawModels == null) return;
        if (!(rawModels instanceof List<?> entries)) throw KeelException.invalid("configuration key 'models' must be a list of models");
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> m)) throw KeelException.invalid("each entry under 'models' must be a section (key: value pairs)");
            @SuppressWarnings("unchecked") Map<String, Object> entry = (Map<String, Object>) m;
            registry.register(new RegisterRequest(entry, "seeded from keel.yaml", Stage.PRODUCTION), SEED_ACTOR);
        }
    }

    /** The gateway over every registered model's resolved version, or null when nothing is registered. */
    static ModelGateway gateway(ModelRegistry registry, Function<String, String> env, ModelCallListener listener) {
        List<ModelGateway.Versioned> served = new ArrayList<>();
        for (RegisteredModel m : registry.models()) {
            m.resolved().ifPresent(v -> served.add(new ModelGateway.Versioned(config(v), String.valueOf(v.version()))));
        }
        return served.isEmpty() ? null : ModelGateway.of(served, env, listener);
    }

    /** Applies a registry change to the running gateway. Failures are logged: the previous version keeps serving. */
    static void apply(ModelRegistry registry, ModelGateway gateway, RegistryChange change, Function<String, String> env) {
        for (String name : change.models()) {
            try {
                Optional<ModelVersion> v = registry.resolve(name);
                if (v.isEmpty()) {
                    LOG.warning("model '" + name + "' has no servable version left in the registry; the version already loaded keeps serving");
                    continue;
                }
                if (String.valueOf(v.get().version()).equals(gateway.versionOf(name))) continue;
                gateway.replace(config(v.get()), String.valueOf(v.get().version()), env);
                LOG.info("now serving " + v.get().ref());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "could not switch model '" + name + "' to its new registry version: " + e.getMessage());
            }
        }
    }

    static ModelConfig config(ModelVersion v) {
        return ModelConfig.from("registry " + v.ref(), v.config());
    }
}
