package io.keel.core.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arm of an experiment (or the route) a request was assigned to, and the configuration it overrides for that
 * request. {@link #NONE} when no experiment applies.
 *
 * @param experiment the experiment's name, or null
 * @param name       the variant's name, or null
 * @param overrides  the request settings this variant changes (model, prompt, retrieval), keyed as in keel.yaml
 * @param shadows    shadow arms that also run on a copy of this request without answering it (see {@link ShadowStage});
 *                   each names its own experiment and overrides
 */
public record Variant(String experiment, String name, Map<String, Object> overrides, List<Variant> shadows) {
    public static final Variant NONE = new Variant(null, null, Map.of());

    public Variant {
        overrides = Map.copyOf(Objects.requireNonNullElse(overrides, Map.of()));
        shadows = List.copyOf(Objects.requireNonNullElse(shadows, List.of()));
    }

    /** An arm with no shadows. */
    public Variant(String experiment, String name, Map<String, Object> overrides) {
        this(experiment, name, overrides, List.of());
    }

    public boolean assigned() {
        return experiment != null;
    }

    /** This arm with {@code more} shadow arms. */
    public Variant withShadows(List<Variant> more) {
        if (more.isEmpty()) return this;
        List<Variant> all = new java.util.ArrayList<>(shadows);
        all.addAll(more);
        return new Variant(experiment, name, overrides, all);
    }
}
