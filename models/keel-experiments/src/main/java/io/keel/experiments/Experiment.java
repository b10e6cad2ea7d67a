package io.keel.experiments;

import java.time.Instant;
import java.util.List;

/**
 * One experiment definition, as read from its YAML file by {@link ExperimentFiles}.
 *
 * @param name      unique experiment name, written to lineage and the request log
 * @param salt      mixed into the unit's hash; changing it reshuffles every unit (defaults to the name)
 * @param unit      what is randomised
 * @param layer     experiments in one layer never share a unit; defaults to the experiment's own name
 * @param layerFrom start of this experiment's share of its layer, in percent (inclusive)
 * @param layerTo   end of its share, in percent (exclusive)
 * @param traffic   percent of eligible units enrolled (the ramp); raising it keeps enrolled units and their variants
 * @param holdout   percent of enrolled units that get the default configuration, stamped as variant {@value #HOLDOUT}
 * @param targeting which requests are eligible
 * @param start     first instant the experiment runs, or null for "already started"
 * @param stop      instant it stops (exclusive), or null for "open-ended"
 * @param variants  the arms, at least two
 * @param origin    the file it came from, for messages
 */
public record Experiment(String name, String salt, Unit unit, String layer, double layerFrom, double layerTo,
                         double traffic, double holdout, Targeting targeting, Instant start, Instant stop,
                         List<VariantDefinition> variants, String origin) {
    /** The variant name stamped on holdout units. */
    public static final String HOLDOUT = "holdout";

    public Experiment {
        variants = List.copyOf(variants);
    }

    /** True when {@code now} is within [start, stop). */
    public boolean runningAt(Instant now) {
        return (start == null || !now.isBefore(start)) && (stop == null || now.isBefore(stop));
    }

    double totalWeight() {
        double t = 0;
        for (VariantDefinition v : variants) if (!v.shadow()) t += v.weight();
        return t;
    }

    /** The arms that answer requests, in file order (the first is the control). */
    public List<VariantDefinition> liveVariants() {
        return variants.stream().filter(v -> !v.shadow()).toList();
    }

    /** The shadow arms, in file order. */
    public List<VariantDefinition> shadowVariants() {
        return variants.stream().filter(VariantDefinition::shadow).toList();
    }
}
