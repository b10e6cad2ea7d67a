package io.keel.routing;

import java.util.Objects;

/**
 * What a routing table decided for one request.
 *
 * @param rule    the rule that matched, or {@value RoutingTable#DEFAULT_RULE} when none did
 * @param target  where to send the request (the cascade's cheap model when there is a cascade)
 * @param cascade the cascade to run, or null
 * @param reason  {@code kind: detail}, e.g. {@code intent: intent=card_arrival (0.93)}
 */
public record RouteDecision(String rule, RouteTarget target, Cascade cascade, String reason) {
    public RouteDecision {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
        if ((target == null) == (cascade == null)) throw new IllegalArgumentException("a decision is a target or a cascade");
    }
}
