package io.keel.agent;

import io.keel.agent.run.RunStep;
import io.keel.core.answer.Caller;

import java.time.Instant;

/**
 * Sees every step event of every run as it finishes, e.g. to open a child span or write a request-log child record.
 * Implementations are thread-safe and must not throw.
 */
@FunctionalInterface
public interface StepObserver {
    /**
     * @param runId the run; child records are keyed {@code runId/seq}
     * @param seq   the event's sequence number within the run, from 1
     * @param start when the call started
     */
    void stepEnded(String runId, String agent, Caller caller, int seq, RunStep step, Instant start);

    StepObserver NONE = (runId, agent, caller, seq, step, start) -> { };

    /** Both observers, in order. */
    default StepObserver and(StepObserver next) {
        return (runId, agent, caller, seq, step, start) -> {
            stepEnded(runId, agent, caller, seq, step, start);
            next.stepEnded(runId, agent, caller, seq, step, start);
        };
    }
}
