package io.keel.experiments;

import io.keel.core.pipeline.RouteRequest;

import java.util.Set;

/**
 * Which requests an experiment may enrol. Each set empty means "any"; a non-empty set must contain the request's value.
 *
 * @param tenants caller tenants
 * @param apps    calling applications ({@code X-Keel-App}); a request naming no app never matches a non-empty set
 * @param routes  routes as the request log names them, e.g. {@code /v1/query}, {@code /v1/chat/completions}
 */
public record Targeting(Set<String> tenants, Set<String> apps, Set<String> routes) {
    public static final Targeting ALL = new Targeting(Set.of(), Set.of(), Set.of());

    public Targeting {
        tenants = Set.copyOf(tenants);
        apps = Set.copyOf(apps);
        routes = Set.copyOf(routes);
    }

    public boolean matches(RouteRequest<?> request) {
        return (tenants.isEmpty() || tenants.contains(request.caller().tenant()))
                && (apps.isEmpty() || (request.caller().app() != null && apps.contains(request.caller().app())))
                && (routes.isEmpty() || routes.contains(request.route()));
    }
}
