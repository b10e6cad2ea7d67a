package io.keel.routing;

import io.keel.routing.intent.IntentClassifier;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A routing table: which requests it routes (by the model name they ask for), its rules in order, the target when no
 * rule matches, and the intent classifier its intent rules use. Immutable and thread-safe.
 *
 * @param name     the table's name (its file's name without extension unless the file says otherwise)
 * @param models   request model names this table routes; {@value #EVERY_MODEL} routes every request
 * @param rules    evaluated in order; the first whose conditions hold decides
 * @param fallback where requests go when no rule matches
 * @param intents  the classifier of the table's labelled examples, or null when it has none
 */
public record RoutingTable(String name, Set<String> models, List<RouteRule> rules, RouteTarget fallback,
                           IntentClassifier intents) {
    /** The models entry that routes every request, whatever model it names. */
    public static final String EVERY_MODEL = "*";
    /** The rule name of a decision no rule made. */
    public static final String DEFAULT_RULE = "default";

    public RoutingTable {
        Objects.requireNonNull(name, "name");
        models = Set.copyOf(models);
        rules = List.copyOf(rules);
        Objects.requireNonNull(fallback, "fallback");
        if (intents == null && rules.stream().anyMatch(r -> r.when().needsIntent())) {
            throw new IllegalArgumentException("routing table " + name + " has intent rules but no intent examples");
        }
    }

    /** Whether a request asking for {@code model} is routed by this table. */
    public boolean routes(String model) {
        return models.contains(EVERY_MODEL) || models.contains(model);
    }

    /** Whether any rule needs the request's intent. */
    public boolean usesIntents() {
        return rules.stream().anyMatch(r -> r.when().needsIntent());
    }

    /** Every model this table may call: model targets, cascade models and verifier models. */
    public java.util.Set<String> modelNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        java.util.function.Consumer<RouteTarget> add = t -> {
            if (t != null && t.kind() == RouteTarget.Kind.MODEL) names.add(t.name());
        };
        add.accept(fallback);
        for (RouteRule r : rules) {
            add.accept(r.target());
            if (r.cascade() != null) {
                add.accept(r.cascade().cheap());
                add.accept(r.cascade().strong());
                if (r.cascade().signal() instanceof io.keel.routing.signal.VerifierSignal v) names.add(v.model());
            }
        }
        return names;
    }

    /** The first rule whose conditions hold, or the fallback. */
    public RouteDecision decide(RouteFacts facts) {
        for (RouteRule rule : rules) {
            String why = rule.when().match(facts);
            if (why != null) return new RouteDecision(rule.name(), rule.target(), rule.cascade(), why);
        }
        return new RouteDecision(DEFAULT_RULE, fallback, null, "default: no rule matched");
    }
}
