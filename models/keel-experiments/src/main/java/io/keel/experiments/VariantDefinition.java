package io.keel.experiments;

import java.util.Map;

/**
 * One arm of an experiment.
 *
 * @param name      unique within the experiment; written to lineage and the request log
 * @param weight    relative share of the enrolled, non-holdout units (any positive scale)
 * @param overrides request settings this arm changes, flat keys as in {@link ExperimentFiles#OVERRIDE_KEYS}; empty
 *                  for a control arm
 * @param shadow    a shadow arm: it gets no units of its own but runs on a copy of every enrolled request without
 *                  answering it (its weight is not used)
 */
public record VariantDefinition(String name, double weight, Map<String, Object> overrides, boolean shadow) {
    public VariantDefinition {
        overrides = Map.copyOf(overrides);
    }

    /** A live arm. */
    public VariantDefinition(String name, double weight, Map<String, Object> overrides) {
        this(name, weight, overrides, false);
    }
}
