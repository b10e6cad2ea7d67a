package io.keel.agent;

import java.util.List;
import java.util.Objects;

/**
 * A named agent, as one agent file describes it: which model answers, which prompt is its system prompt, which tools it
 * may call and within which limits. Immutable; obtain one from {@link AgentLoader} or {@link AgentFolder}.
 *
 * @param name        the agent's name, addressed as {@code POST /v1/agents/{name}/runs} or model {@code agent:<name>}
 * @param description free text, or null
 * @param model       the configured model (a {@code models:} entry) every step calls
 * @param promptId    the prompt whose rendered messages open each run (its system message), or null for none
 * @param tools       tool names: built-ins ({@code calculator}, ...) and MCP tools as {@code server.tool}
 * @param maxTokensPerCall the completion-token cap of each model call, or null for the model's default
 * @param temperature sampling temperature, or null
 * @param origin      where the definition was read from
 */
public record AgentDefinition(String name, String description, String model, String promptId, List<String> tools,
                              Integer maxTokensPerCall, Double temperature, AgentLimits limits, AgentVersion version,
                              String origin) {
    public AgentDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        tools = List.copyOf(tools == null ? List.of() : tools);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(version, "version");
    }

    /** The same agent with other limits (tests, benchmarks); the version is unchanged. */
    public AgentDefinition withLimits(AgentLimits newLimits) {
        return new AgentDefinition(name, description, model, promptId, tools, maxTokensPerCall, temperature, newLimits, version, origin);
    }
}
