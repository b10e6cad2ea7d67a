package io.keel.routing;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.Variant;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The loaded routing tables of an instance: the default one, and the others an experiment variant may switch a
 * request to with the override {@value #OVERRIDE} (composing routing with experiments: an A/B test of two routing
 * tables is an experiment whose variants name them).
 */
public final class Routing {
    /** The variant override key naming the routing table a request uses. */
    public static final String OVERRIDE = "routing.table";
    /** No routing: every request keeps the model it asked for. */
    public static final Routing NONE = new Routing(null, Map.of());

    private final RoutingTable defaultTable;
    private final Map<String, RoutingTable> tables;

    public Routing(RoutingTable defaultTable, Map<String, RoutingTable> tables) {
        this.defaultTable = defaultTable;
        this.tables = Map.copyOf(tables);
    }

    /** A single table, with no alternatives. */
    public static Routing of(RoutingTable table) {
        return new Routing(table, Map.of());
    }

    public boolean enabled() {
        return defaultTable != null;
    }

    /**
     * The table for a request in {@code variant}: the one its {@value #OVERRIDE} override names, else the default.
     *
     * @throws KeelException when the variant names a table that is not configured
     */
    public RoutingTable table(Variant variant) {
        Object name = variant.overrides().get(OVERRIDE);
        if (name == null) return defaultTable;
        RoutingTable t = tables.get(String.valueOf(name));
        if (t == null) {
            throw new KeelException(ErrorCode.INTERNAL, "variant '" + variant.name() + "' of experiment '" + variant.experiment()
                    + "' names routing table '" + name + "', which routing.tables does not configure; configured: " + new TreeSet<>(tables.keySet()));
        }
        return t;
    }

    /** The model names any table routes: the names {@code /v1/chat/completions} must accept though no model has them. */
    public Set<String> routedModels() {
        Set<String> names = new TreeSet<>();
        if (defaultTable != null) names.addAll(defaultTable.models());
        tables.values().forEach(t -> names.addAll(t.models()));
        names.remove(RoutingTable.EVERY_MODEL);
        return names;
    }

    /**
     * Fails when a table names a model {@code known} does not accept: a typo in a routing file stops startup instead of
     * failing the requests that reach the rule.
     */
    public void checkModels(java.util.function.Predicate<String> known) {
        java.util.List<RoutingTable> all = new java.util.ArrayList<>(tables.values());
        if (defaultTable != null) all.add(defaultTable);
        for (RoutingTable t : all) {
            for (String m : t.modelNames()) {
                if (!known.test(m)) {
                    throw KeelException.invalid("routing table " + t.name() + " names model '" + m + "', which is not configured under models:");
                }
            }
        }
    }

    /** Whether some table routes {@code model}. */
    public boolean routes(String model) {
        if (defaultTable != null && defaultTable.routes(model)) return true;
        for (RoutingTable t : tables.values()) if (t.routes(model)) return true;
        return false;
    }
}
