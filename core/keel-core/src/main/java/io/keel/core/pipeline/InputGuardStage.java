package io.keel.core.pipeline;

import io.keel.core.answer.Timings;
import io.keel.core.guard.Direction;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardSelector;
import io.keel.core.guard.GuardVerdict;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Checks the request's guarded text before anything else sees it: a block answers at once with the route's refusal, a
 * redaction rewrites the text. Stamps the guard policy on the response's lineage on the way back.
 */
public final class InputGuardStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> extends NamedStage<Q, A> {
    private final GuardSelector guards;
    private final BiFunction<Q, GuardVerdict, A> refusal;

    /** @param refusal the route's answer to a blocked request (a refusal message, a content-filtered completion) */
    public InputGuardStage(Guard guard, BiFunction<Q, GuardVerdict, A> refusal) {
        this(GuardSelector.of(guard), refusal);
    }

    /** @param guards the guard of each request's caller (its tenant's policy, or the server's) */
    public InputGuardStage(GuardSelector guards, BiFunction<Q, GuardVerdict, A> refusal) {
        super("guard-input", Timings.GUARD_INPUT);
        this.guards = Objects.requireNonNull(guards, "guards");
        this.refusal = Objects.requireNonNull(refusal, "refusal");
    }

    @Override
    public A handle(Q request, Chain<Q, A> chain) {
        String text = request.guardedText();
        Guard guard = guards.select(request.caller());
        if (text == null || guard == Guard.ALLOW_ALL) return chain.proceed(request);
        GuardVerdict verdict = guard.inspect(text, Direction.INPUT);
        request.trail().guard(verdict);
        A response = switch (verdict.decision()) {
            case ALLOW -> chain.proceed(request);
            case REDACT -> chain.proceed(request.withGuardedText(verdict.text()));
            case BLOCK -> refusal.apply(request, verdict);
        };
        String policy = request.trail().policyVersion();
        return policy == null ? response : response.withLineage(response.lineageOrEmpty().withGuardPolicy(policy));
    }
}
