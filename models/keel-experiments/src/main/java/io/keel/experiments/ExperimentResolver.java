package io.keel.experiments;

import io.keel.core.pipeline.RouteRequest;
import io.keel.core.pipeline.Variant;
import io.keel.core.pipeline.VariantResolver;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Assigns requests to variants of the configured experiments, with no state: for each running experiment whose
 * targeting matches and whose unit the request has,
 * <ol>
 *   <li>the layer position {@code H("layer:" + layer + ":" + unit)} must fall in the experiment's layer range
 *       (experiments sharing a layer have disjoint ranges, so a unit is in at most one of them);</li>
 *   <li>the ramp position {@code H(salt + ":traffic:" + unit)} must be below {@code traffic}%;</li>
 *   <li>the assignment position {@code u = H(salt + ":" + unit)} picks the arm: {@code u < holdout%} is the holdout,
 *       the rest is split by the variants' weights in file order.</li>
 * </ol>
 * {@code H} is {@link Buckets#position}: SHA-256, so the same unit gets the same variant on every instance and after
 * restarts, and changing the ramp never moves an enrolled unit to another arm.
 *
 * <p>A request in experiments of several layers gets one combined {@link Variant}: experiment and variant names joined
 * with {@value #JOIN} in layer order, overrides merged (each override key belongs to one layer, see
 * {@link ExperimentSet}). Holdout units are stamped with variant {@value Experiment#HOLDOUT} and no overrides.
 */
public final class ExperimentResolver implements VariantResolver {
    /** Separates experiment (and variant) names when a request is in several layers' experiments. */
    public static final String JOIN = "+";

    private final List<Experiment> experiments;
    private final Clock clock;
    private final Function<RouteRequest<?>, String> apiKey;

    /**
     * @param apiKey the API key a request authenticated with, or null; used by experiments with unit {@code api_key}
     */
    public ExperimentResolver(ExperimentSet experiments, Clock clock, Function<RouteRequest<?>, String> apiKey) {
        this.experiments = experiments.experiments();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    }

    /** Over {@code experiments} on the system clock, with no API keys known. */
    public ExperimentResolver(ExperimentSet experiments) {
        this(experiments, Clock.systemUTC(), r -> null);
    }

    /** The experiments this resolver assigns, in layer order. */
    public List<Experiment> experiments() {
        return experiments;
    }

    @Override
    public Variant resolve(RouteRequest<?> request) {
        Instant now = clock.instant();
        Variant first = null;
        List<Variant> more = null;
        for (Experiment e : experiments) {
            Variant v = assign(e, request, now);
            if (v == null) continue;
            if (first == null) first = v;
            else {
                if (more == null) more = new ArrayList<>();
                more.add(v);
            }
        }
        if (first == null) return Variant.NONE;
        if (more == null) return first;
        StringBuilder exp = new StringBuilder(first.experiment());
        StringBuilder name = new StringBuilder(first.name());
        Map<String, Object> overrides = new HashMap<>(first.overrides());
        List<Variant> shadows = new ArrayList<>(first.shadows());
        for (Variant v : more) {
            exp.append(JOIN).append(v.experiment());
            name.append(JOIN).append(v.name());
            overrides.putAll(v.overrides());
            shadows.addAll(v.shadows());
        }
        return new Variant(exp.toString(), name.toString(), overrides, shadows);
    }

    /** The arm of {@code e} for {@code request}, or null when the request is not enrolled. */
    Variant assign(Experiment e, RouteRequest<?> request, Instant now) {
        if (!e.runningAt(now) || !e.targeting().matches(request)) return null;
        String unit = e.unit().valueOf(request, apiKey);
        if (unit == null) return null;
        if (e.layerFrom() > 0 || e.layerTo() < 100) {
            double l = Buckets.position("layer:" + e.layer() + ":", unit) * 100;
            if (l < e.layerFrom() || l >= e.layerTo()) return null;
        }
        if (e.traffic() < 100 && Buckets.position(e.salt() + ":traffic:", unit) * 100 >= e.traffic()) return null;
        double u = Buckets.position(e.salt() + ":", unit);
        double holdout = e.holdout() / 100;
        if (u < holdout) return new Variant(e.name(), Experiment.HOLDOUT, Map.of());
        double target = (u - holdout) / (1 - holdout) * e.totalWeight();
        double cumulative = 0;
        List<VariantDefinition> variants = e.liveVariants();
        VariantDefinition arm = variants.getLast();
        for (VariantDefinition v : variants) {
            cumulative += v.weight();
            if (target < cumulative) {
                arm = v;
                break;
            }
        }
        return new Variant(e.name(), arm.name(), arm.overrides(), shadowsOf(e));
    }

    /** The shadow arms of {@code e}, each as a variant of {@code e} alone. */
    private static List<Variant> shadowsOf(Experiment e) {
        List<VariantDefinition> defs = e.shadowVariants();
        if (defs.isEmpty()) return List.of();
        List<Variant> out = new ArrayList<>(defs.size());
        for (VariantDefinition d : defs) out.add(new Variant(e.name(), d.name(), d.overrides()));
        return out;
    }
}
