package io.keel.experiments;

import io.keel.core.error.KeelException;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A checked set of experiments. Beyond each file's own checks it enforces what makes layers work:
 * <ul>
 *   <li>names are unique;</li>
 *   <li>experiments in one layer use the same unit (so the layer's hash splits one population) and their layer
 *       ranges do not overlap unless their [start, stop) windows are disjoint;</li>
 *   <li>each override key belongs to one layer, so experiments that can overlap never set the same setting.</li>
 * </ul>
 * Experiments are kept ordered by layer, then name: the order their names appear in a combined variant.
 */
public final class ExperimentSet {
    private final List<Experiment> experiments;

    public ExperimentSet(List<Experiment> experiments) {
        this.experiments = experiments.stream()
                .sorted(Comparator.comparing(Experiment::layer).thenComparing(Experiment::name)).toList();
        check();
    }

    public List<Experiment> experiments() {
        return experiments;
    }

    public boolean isEmpty() {
        return experiments.isEmpty();
    }

    /**
     * Checks that every value variants give override {@code key} is one {@code known} accepts (a model that can be
     * called, a prompt version that exists), so a typo stops startup instead of failing the variant's requests.
     *
     * @param hint what {@code key} must name and what there is, for the message
     */
    public void checkValues(String key, Predicate<String> known, String hint) {
        for (Experiment e : experiments) {
            for (VariantDefinition v : e.variants()) {
                Object value = v.overrides().get(key);
                if (value != null && !known.test(value.toString())) {
                    throw KeelException.invalid(e.origin() + ": variant '" + v.name() + "' overrides " + key + " with '" + value
                            + "', which is not " + hint);
                }
            }
        }
    }

    private void check() {
        Map<String, Experiment> byName = new HashMap<>();
        Map<String, Experiment> keyOwner = new HashMap<>();
        for (Experiment e : experiments) {
            Experiment twin = byName.putIfAbsent(e.name(), e);
            if (twin != null) throw KeelException.invalid("experiment '" + e.name() + "' is defined twice: in " + twin.origin() + " and " + e.origin());
            for (VariantDefinition v : e.variants()) {
                for (String key : v.overrides().keySet()) {
                    Experiment owner = keyOwner.putIfAbsent(key, e);
                    if (owner != null && !owner.layer().equals(e.layer())) {
                        throw KeelException.invalid(e.origin() + ": override '" + key + "' is already varied by experiment '"
                                + owner.name() + "' in layer '" + owner.layer() + "'; experiments that vary the same setting must share a layer");
                    }
                }
            }
        }
        for (int i = 0; i < experiments.size(); i++) {
            for (int j = i + 1; j < experiments.size(); j++) {
                Experiment a = experiments.get(i);
                Experiment b = experiments.get(j);
                if (!a.layer().equals(b.layer())) continue;
                if (a.unit() != b.unit()) {
                    throw KeelException.invalid(b.origin() + ": layer '" + b.layer() + "' randomises by " + a.unit().wireName()
                            + " (experiment '" + a.name() + "'); an experiment in it cannot use unit " + b.unit().wireName());
                }
                boolean rangesOverlap = a.layerFrom() < b.layerTo() && b.layerFrom() < a.layerTo();
                if (rangesOverlap && windowsOverlap(a, b)) {
                    throw KeelException.invalid(b.origin() + ": layer '" + b.layer() + "' range [" + b.layerFrom() + ", " + b.layerTo()
                            + ") overlaps experiment '" + a.name() + "' [" + a.layerFrom() + ", " + a.layerTo()
                            + ") while both run; give them disjoint layer ranges or disjoint start/stop times");
                }
            }
        }
    }

    private static boolean windowsOverlap(Experiment a, Experiment b) {
        Instant aStart = a.start() == null ? Instant.MIN : a.start();
        Instant bStart = b.start() == null ? Instant.MIN : b.start();
        Instant aStop = a.stop() == null ? Instant.MAX : a.stop();
        Instant bStop = b.stop() == null ? Instant.MAX : b.stop();
        return aStart.isBefore(bStop) && bStart.isBefore(aStop);
    }
}
