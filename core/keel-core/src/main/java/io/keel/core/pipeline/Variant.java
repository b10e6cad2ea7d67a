package io.keel.core.pipeline;

import java.util.Map;
import java.util.Objects;

/**
 * The arm of an experiment (or the route) a request was assigned to, and the configuration it overrides for that
 * request. {@link #NONE} when no experiment applies.
 *
 * @param experiment the experiment's name, or null
 * @param name       the variant's name, or null
 * @param overrides  the request settings this variant changes (model, prompt, retrieval), keyed as in keel.yaml
 */
public record Variant(String experiment, String name, Map<String, Object> overrides) {
    public static final Variant NONE = new Variant(null, null, Map.of());

    public Variant {
        overrides = Map.copyOf(Objects.requireNonNullElse(overrides, Map.of()));
    }

    public boolean assigned() {
        return experiment != null;
    }
}
