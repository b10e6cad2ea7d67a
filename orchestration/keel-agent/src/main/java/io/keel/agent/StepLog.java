package io.keel.agent;

import io.keel.agent.run.AgentRun;
import io.keel.agent.run.RunStep;
import io.keel.core.chat.ChatMessage;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Writes runs to the request log: one record per run (id the run id, route {@value #RUN_ROUTE}: the input, the
 * answer, the status, lineage) and a child record per step event (id {@code <runId>/<seq>}, route {@value #ROUTE}:
 * the tool name and its arguments as the question — redacted by the redacting request log like any question — the
 * result size as the answer, the call's latency, usage and cost). Usage and cost are on the model steps' records only,
 * so usage sums over the log count each call once.
 */
public final class StepLog implements StepObserver {
    public static final String ROUTE = "agent.step";
    public static final String RUN_ROUTE = "agent.run";

    private final RequestLog log;

    public StepLog(RequestLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** The run's own record, when it ended (or was interrupted). */
    public void runEnded(AgentRun run, Caller caller, List<ChatMessage> input) {
        try {
            ChatMessage last = input.isEmpty() ? null : input.getLast();
            Lineage lineage = Lineage.EMPTY.withGenerator(run.models().isEmpty() ? "none" : String.join(",", run.models()), null,
                    run.agent(), run.prompts().isEmpty() ? "none" : String.join(",", run.prompts()));
            RequestRecord.Builder b = RequestRecord.builder(run.id(), RUN_ROUTE).time(run.started()).caller(caller)
                    .question(last == null ? null : last.content()).answer(run.answer()).lineage(lineage)
                    .timings(new Timings(java.util.Map.of(Timings.TOTAL, run.elapsedMillis() * 1_000_000L)));
            if (run.stopReason() == StopReason.BLOCKED) b.status("blocked");
            else if (run.stopReason() != StopReason.COMPLETED) b.failed(run.stopReason() == null ? "running" : run.stopReason().wireName(), run.error());
            log.record(b.build());
        } catch (RuntimeException e) {
            // the log never fails a run
        }
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
