package io.keel.agent;

import io.keel.agent.mcp.McpToolSource;
import io.keel.agent.run.AgentRun;
import io.keel.core.answer.Caller;
import io.keel.core.chat.ChatMessage;
import io.keel.core.error.KeelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The agents of one Keel instance: the loaded definitions, the runtime that runs them and the MCP sessions their tools
 * use. What the routes call. Closing it closes the MCP sessions. Thread-safe.
 */
public final class Agents implements AutoCloseable {
    private final AgentFolder folder;
    private final AgentRuntime runtime;
    private final List<McpToolSource> mcp;
    private final StepLog log;

    /**
     * @param log where each run's own record goes (its steps' records go through the runtime's observer), or null
     * @throws KeelException (invalid request) when an agent names a tool or prompt that does not exist
     */
    public Agents(AgentFolder folder, AgentRuntime runtime, List<McpToolSource> mcp, StepLog log) {
        this.log = log;
        this.folder = Objects.requireNonNull(folder, "folder");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.mcp = List.copyOf(mcp);
        folder.agents().forEach(runtime::check);
    }

    public List<String> names() {
        return folder.agents().stream().map(AgentDefinition::name).toList();
    }

    public Optional<AgentDefinition> find(String name) {
        return folder.find(name);
    }

    public AgentRuntime runtime() {
        return runtime;
    }

    /** @throws KeelException not found when no agent has that name */
    public AgentRun run(String name, List<ChatMessage> input, Caller caller, RunListener listener) {
        AgentDefinition agent = folder.find(name).orElseThrow(() -> KeelException.notFound("no agent '" + name + "'; the agents are "
                + (names().isEmpty() ? "none (add files to the agents folder)" : String.join(", ", names()))));
        AgentRun run = runtime.run(agent, input, caller, listener);
        if (log != null) log.runEnded(run, caller == null ? Caller.ANONYMOUS : caller, input);
        return run;
    }

    /** Continues an interrupted run from its last completed step. */
    public AgentRun resume(String runId, Caller caller, RunListener listener) {
        AgentRun run = runtime.resume(runId, n -> folder.find(n).orElse(null), caller, listener);
        if (log != null) log.runEnded(run, caller == null ? Caller.ANONYMOUS : caller, List.of());
        return run;
    }

    /** A run of the caller's tenant; empty for an unknown run or one of another tenant. */
    public Optional<AgentRun> find(String runId, Caller caller) {
        Caller who = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        return runtime.store().find(runId).filter(r -> r.tenant().equals(who.tenant()));
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (McpToolSource s : mcp) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) throw failures.getFirst();
    }
}
