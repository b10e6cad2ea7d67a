package io.keel.core.pipeline;

/**
 * Assigns a request to an experiment's variant (or a route). Must be fast and deterministic for a given unit (API key,
 * tenant, user or request), and thread-safe.
 */
@FunctionalInterface
public interface VariantResolver {
    Variant resolve(RouteRequest<?> request);

    /** No experiments: every request gets {@link Variant#NONE}. */
    VariantResolver NONE = request -> Variant.NONE;
}
