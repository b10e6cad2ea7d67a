package io.keel.registry;

import io.keel.model.Pricing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One registered, immutable version of a model: the keel.yaml entry it was registered with ({@link #config()}, verbatim)
 * and the fields listings need, plus the stage it was in when read (the only part that changes).
 *
 * @param model       the model name clients use
 * @param version     1, 2, 3... per model, in registration order
 * @param stage       the stage at the time of reading
 * @param config      the model entry exactly as registered; what the gateway builds the model from
 * @param contentHash SHA-256 of the canonical JSON of {@code config}; equal configs have equal hashes
 */
public record ModelVersion(String model, int version, Stage stage, String provider, String modelId, List<String> endpoints,
                           Map<String, Object> params, Pricing pricing, String tokenizer, String notes,
                           Map<String, Object> config, String contentHash, String createdBy, Instant createdAt) {
    public ModelVersion {
        endpoints = List.copyOf(endpoints);
        params = Configs.readOnly(params);
        config = Configs.readOnly(config);
    }

    /** The config as JSON, with the keys in the order they were registered. */
    public String configJson() {
        return Configs.json(config);
    }

    /** {@code name@version}, e.g. {@code gpt-small@3}, the way lineage and logs name a version. */
    public String ref() {
        return model + "@" + version;
    }
}
