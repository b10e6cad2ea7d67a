package io.keel.app;

import io.keel.agent.AgentFolder;
import io.keel.agent.AgentRuntime;
import io.keel.agent.Agents;
import io.keel.agent.AgentsConfig;
import io.keel.agent.StepLog;
import io.keel.agent.StepObserver;
import io.keel.agent.mcp.McpServerConfig;
import io.keel.agent.mcp.McpToolSource;
import io.keel.agent.run.RunStep;
import io.keel.agent.run.SqlRunStore;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolBox;
import io.keel.agent.tool.builtin.CalculatorTool;
import io.keel.agent.tool.builtin.DocumentSearch;
import io.keel.agent.tool.builtin.GetDocumentTool;
import io.keel.agent.tool.builtin.HttpGetTool;
import io.keel.agent.tool.builtin.SearchDocumentsTool;
import io.keel.core.error.KeelException;
import io.keel.model.ModelGateway;
import io.keel.prompts.BuiltinPrompts;
import io.keel.prompts.PromptFile;
import io.keel.prompts.PromptFolder;
import io.keel.tracing.KeelTracing;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Assembles the agents of an instance from its parts: the gateway (every step's model call, with the instance's
 * budgets), the built-in tools (document tools through the retrieve route's stages, so the caller's tenant and ACLs
 * apply), the configured MCP servers' tools, the SQL run store, and the step observers (request-log child records and
 * one span per step).
 */
final class AgentWiring {
    private AgentWiring() {
    }

    static Agents open(Keel keel, ModelGateway gateway, AgentsConfig config) {
        List<McpToolSource> mcp = new ArrayList<>();
        try {
            List<Tool> tools = new ArrayList<>(builtins(keel, config));
            for (McpServerConfig server : config.mcpServers()) {
                McpToolSource source = McpToolSource.connect(server);
                mcp.add(source);
                tools.addAll(source.tools());
            }
            PromptFolder folder = keel.config().prompts().dir() != null && Files.isDirectory(keel.config().prompts().dir())
                    ? PromptFolder.load(keel.config().prompts().dir()) : null;
            StepLog log = new StepLog(keel.requestLog());
            AgentRuntime runtime = AgentRuntime.builder(gateway)
                    .versions(gateway::versionOf)
                    .spend(keel.spend())
                    .guard(keel.guard().<io.keel.core.guard.Guard>map(g -> g).orElse(io.keel.core.guard.Guard.ALLOW_ALL))
                    .tools(ToolBox.of(tools))
                    .prompts(id -> prompt(folder, id))
                    .store(new SqlRunStore(keel.database(), config.keepRuns(), keel::redactForLog))
                    .observer(log.and(spans(keel.tracing())))
                    .maxStateChars(config.maxStateChars())
                    .build();
            AgentFolder agents = AgentFolder.load(config.dir());
            for (var agent : agents.agents()) {
                if (!gateway.has(agent.model())) {
                    throw KeelException.invalid(agent.origin() + ": agent " + agent.name() + " names model '" + agent.model()
                            + "', which is not configured; the models are " + gateway.modelNames());
                }
            }
            return new Agents(agents, runtime, mcp, log);
        } catch (RuntimeException e) {
            mcp.forEach(McpToolSource::close);
            throw e;
        }
    }

    static List<Tool> builtins(Keel keel, AgentsConfig config) {
        DocumentSearch search = (text, topK, collection, filters, caller) ->
                keel.retrieve(new QueryInput(text, topK, null, filters, collection), "agent.tool", caller).hits();
        AgentsConfig.HttpGet http = config.httpGet();
        return List.of(new CalculatorTool(), new SearchDocumentsTool(search), new GetDocumentTool(search),
                new HttpGetTool(http.allowHosts(), http.allowPrivateHosts(), http.timeout(), http.maxBytes()));
    }

    private static PromptFile prompt(PromptFolder folder, String id) {
        Optional<PromptFile> p = folder == null ? Optional.empty() : folder.find(id);
        if (p.isPresent()) return p.get();
        try {
            return BuiltinPrompts.get(id);
        } catch (KeelException e) {
            return null;
        }
    }

    /** One span per step event: {@code execute_tool <name>} (GenAI conventions) or {@code agent_step <n>}. */
    private static StepObserver spans(KeelTracing tracing) {
        return (runId, agent, caller, seq, step, start) -> {
            boolean tool = step.kind().equals(RunStep.TOOL);
            Instant end = start.plusNanos(Math.round(step.latencyMs() * 1_000_000));
            tracing.recordSpan(tool ? "execute_tool " + step.name() : "agent_step " + step.step(),
                    tool ? Map.of("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", step.name(), "keel.agent.run_id", runId,
                            "keel.agent", agent, "keel.agent.step", Integer.toString(step.step()))
                            : Map.of("gen_ai.operation.name", "invoke_agent", "gen_ai.request.model", step.name(), "keel.agent.run_id", runId,
                            "keel.agent", agent, "keel.agent.step", Integer.toString(step.step())),
                    start, end, step.error() == null ? null : tool ? "tool_error" : "model_error");
        };
    }
}
