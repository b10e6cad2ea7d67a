package io.keel.core.pipeline;

import java.util.Objects;

/**
 * Resolves the request's experiment variant (or route) before anything variant-dependent runs, and stamps it on the
 * response's lineage on the way back. With {@link VariantResolver#NONE} it changes nothing: it is the seam experiments
 * and routing plug into, present on every route.
 */
public final class VariantStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> extends NamedStage<Q, A> {
    private final VariantResolver resolver;

    public VariantStage(VariantResolver resolver) {
        super("variant", "variant");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public A handle(Q request, Chain<Q, A> chain) {
        Variant variant = resolver.resolve(request);
        request.trail().variant(variant);
        A response = chain.proceed(request);
        return variant.assigned()
                ? response.withLineage(response.lineageOrEmpty().withExperiment(variant.experiment(), variant.name()))
                : response;
    }
}
