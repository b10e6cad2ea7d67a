package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.guard.Direction;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardVerdict;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Checks the question before anything else sees it: a block answers at once, a redaction rewrites the question. */
public final class InputGuardStage implements Stage {
    private final Guard guard;

    public InputGuardStage(Guard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public String name() {
        return "guard-input";
    }

    @Override
    public String timingKey() {
        return Timings.GUARD_INPUT;
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        GuardVerdict verdict = guard.inspect(request.query().text(), Direction.INPUT);
        request.trail().guard(verdict);
        return switch (verdict.decision()) {
            case ALLOW -> chain.proceed(request);
            case REDACT -> chain.proceed(request.withQuery(new io.keel.core.query.Query(verdict.text(),
                    request.query().topK(), request.query().mode(), request.query().filters(), request.query().collection())));
            case BLOCK -> new Answer(request.id(), verdict.text(), "guard:" + guard.name(), List.of(), null, null,
                    Lineage.of("none", "none", "guard:" + guard.name(), "none", Map.of())
                            .withGuardPolicy(verdict.policyVersion()));
        };
    }
}
