package io.keel.agent.run;

import io.keel.agent.StopReason;
import io.keel.core.answer.Usage;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A run of an agent as stored and reported: its outcome, every step, the totals and the lineage (every model and prompt
 * version it used).
 *
 * @param agent      the agent's version, {@code name@hash} or {@code name@semver+hash}
 * @param stopReason why it ended; null while running
 * @param answer     the final answer (or the last text the model gave before a limit); null when none
 * @param error      for an interrupted run, the model call's failure; null otherwise
 * @param steps      how many model calls were made
 * @param models     every model that answered a step, as {@code name@version} (or the bare name), in first-use order
 * @param prompts    every prompt version used, as {@code id@version}
 */
public record AgentRun(String id, String agentName, String agent, String tenant, RunStatus status, StopReason stopReason,
                       String answer, String error, int steps, Usage usage, List<String> models, List<String> prompts,
                       Instant started, Instant updated, long elapsedMillis, List<RunStep> events) {
    public AgentRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        usage = Objects.requireNonNullElse(usage, Usage.ZERO);
        models = List.copyOf(models == null ? List.of() : models);
        prompts = List.copyOf(prompts == null ? List.of() : prompts);
        events = List.copyOf(events == null ? List.of() : events);
    }
}
