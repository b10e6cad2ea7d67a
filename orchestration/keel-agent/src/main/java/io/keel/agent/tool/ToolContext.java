package io.keel.agent.tool;

import io.keel.core.answer.Caller;

import java.util.Objects;

/**
 * Who a tool runs for: the run's caller (tenant, principal and ACL groups, which retrieval tools enforce) and the run.
 *
 * @param caller never null
 * @param runId  the run the call belongs to
 */
public record ToolContext(Caller caller, String runId) {
    public ToolContext {
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        Objects.requireNonNull(runId, "runId");
    }
}
