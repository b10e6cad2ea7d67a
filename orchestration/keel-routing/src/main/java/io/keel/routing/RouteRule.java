package io.keel.routing;

import java.util.Objects;

/**
 * One rule of a routing table: when its conditions hold, the request goes to its target, or through its cascade.
 *
 * @param name    unique in the table; written to lineage and metrics
 * @param when    the conditions
 * @param target  where the request goes; null when the rule has a cascade
 * @param cascade try a cheap model first and escalate on low confidence; null when the rule has a target
 */
public record RouteRule(String name, When when, RouteTarget target, Cascade cascade) {
    public RouteRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(when, "when");
        if ((target == null) == (cascade == null)) throw new IllegalArgumentException("rule " + name + " needs a target or a cascade, not both");
    }
}
