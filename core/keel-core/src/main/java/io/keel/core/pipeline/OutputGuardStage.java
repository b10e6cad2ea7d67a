package io.keel.core.pipeline;

import io.keel.core.answer.Timings;
import io.keel.core.chat.ChatResponse;
import io.keel.core.chat.ForwardingStreamListener;
import io.keel.core.chat.StreamListener;
import io.keel.core.chat.ToolCallDelta;
import io.keel.core.guard.Direction;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardSelector;
import io.keel.core.guard.GuardVerdict;

import java.util.Objects;

/**
 * Checks the response on its way out. A whole response is inspected at once and rewritten or replaced when the guard
 * says so; a streamed one passes through the guard's {@link Guard.StreamFilter}, which holds back only what it needs
 * to judge, and after a block the rest of the stream is dropped and the finish reason becomes {@code content_filter}.
 */
public final class OutputGuardStage<Q extends RouteRequest<Q>, A extends RouteResponse<A>> extends NamedStage<Q, A> {
    /** The finish reason of an answer the guard cut short. */
    public static final String CONTENT_FILTER = "content_filter";

    private final GuardSelector guards;

    public OutputGuardStage(Guard guard) {
        this(GuardSelector.of(guard));
    }

    /** @param guards the guard of each request's caller (its tenant's policy, or the server's) */
    public OutputGuardStage(GuardSelector guards) {
        super("guard-output", Timings.GUARD_OUTPUT);
        this.guards = Objects.requireNonNull(guards, "guards");
    }

    @Override
    public A handle(Q request, Chain<Q, A> chain) {
        A response = chain.proceed(request);
        Guard guard = guards.select(request.caller());
        if (guard == Guard.ALLOW_ALL) return response; // nothing to inspect, nothing to filter per token
        if (response.stream() != null) {
            return response.withStream(response.stream().through(next -> new Filtering(guard.stream(), request.trail(), next)));
        }
        String text = response.guardedText();
        if (text == null) return response;
        GuardVerdict verdict = guard.inspect(text, Direction.OUTPUT);
        request.trail().guard(verdict);
        A out = verdict.decision() == GuardVerdict.Decision.ALLOW ? response
                : response.withGuardedText(verdict.text(), verdict.decision() == GuardVerdict.Decision.BLOCK);
        String policy = request.trail().policyVersion();
        return policy == null ? out : out.withLineage(out.lineageOrEmpty().withGuardPolicy(policy));
    }

    /**
     * Sends on what the filter releases. A token the filter holds back still reaches the next listener as an empty
     * token, so the client sees the stream open at the first upstream token.
     */
    private static final class Filtering extends ForwardingStreamListener {
        private final Guard.StreamFilter filter;
        private final Trail trail;
        private boolean blocked;

        Filtering(Guard.StreamFilter filter, Trail trail, StreamListener next) {
            super(next);
            this.filter = filter;
            this.trail = trail;
        }

        @Override
        public void onToken(String token) {
            if (blocked) return;
            next.onToken(release(filter.accept(token)));
        }

        @Override
        public void onToolCallDelta(ToolCallDelta delta) {
            if (!blocked) next.onToolCallDelta(delta);
        }

        @Override
        public void onComplete(ChatResponse response) {
            if (!blocked) {
                String rest = release(filter.finish());
                if (!rest.isEmpty()) next.onToken(rest);
            }
            next.onComplete(blocked ? response.withContent(response.content(), CONTENT_FILTER) : response);
        }

        private String release(Guard.Release r) {
            if (r.verdict() != null) trail.guard(r.verdict());
            blocked |= r.blocked();
            return r.text();
        }
    }
}
