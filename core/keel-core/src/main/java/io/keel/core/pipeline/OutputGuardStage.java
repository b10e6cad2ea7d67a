package io.keel.core.pipeline;

import io.keel.core.answer.Answer;
import io.keel.core.answer.Timings;
import io.keel.core.guard.Direction;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardVerdict;

import java.util.Objects;

/** Checks the generated answer on its way out and rewrites or replaces it when the guard says so. */
public final class OutputGuardStage implements Stage {
    private final Guard guard;

    public OutputGuardStage(Guard guard) {
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    @Override
    public String name() {
        return "guard-output";
    }

    @Override
    public String timingKey() {
        return Timings.GUARD_OUTPUT;
    }

    @Override
    public Answer handle(QueryRequest request, Chain chain) {
        Answer answer = chain.proceed(request);
        GuardVerdict verdict = guard.inspect(answer.text(), Direction.OUTPUT);
        request.trail().guard(verdict);
        return verdict.decision() == GuardVerdict.Decision.ALLOW ? answer : answer.withText(verdict.text());
    }
}
