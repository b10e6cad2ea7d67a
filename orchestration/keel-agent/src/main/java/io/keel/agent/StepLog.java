package io.keel.agent;

import io.keel.agent.run.RunStep;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Writes every step event as a child record of its run in the request log: id {@code <runId>/<seq>}, route
 * {@value #ROUTE}; the question holds the tool name and its arguments (which the redacting request log redacts like
 * any question), the answer the result size, with the call's latency, usage and cost.
 */
public final class StepLog implements StepObserver {
    public static final String ROUTE = "agent.step";

    private final RequestLog log;

    public StepLog(RequestLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    private static Timings timings(RunStep step) {
        long nanos = Math.round(step.latencyMs() * 1_000_000);
        return new Timings(java.util.Map.of(step.kind().equals(RunStep.MODEL) ? Timings.INFERENCE : "tool", nanos, Timings.TOTAL, nanos));
    }

    @Override
    public void stepEnded(String runId, String agent, Caller caller, int seq, RunStep step, Instant start) {
        try {
            String question = step.kind().equals(RunStep.TOOL) ? "tool " + step.name() + " " + step.arguments() : "model " + step.name();
            Lineage lineage = step.kind().equals(RunStep.MODEL) ? Lineage.EMPTY.withGenerator(step.name(), null, null, "none") : null;
            RequestRecord.Builder b = RequestRecord.builder(runId + "/" + seq, ROUTE).time(start).caller(caller)
                    .question(question).answer("step " + step.step() + ": " + step.resultChars() + " characters" + (step.flagged() ? " (flagged, withheld)" : ""))
                    .usage(step.usage()).timings(timings(step))
                    .lineage(lineage).findings(step.flagged() ? List.of("prompt_injection") : List.of());
            if (step.error() != null) b.failed("tool_error", step.error());
            log.record(b.build());
        } catch (RuntimeException e) {
            // the log never fails a run
        }
    }
}
