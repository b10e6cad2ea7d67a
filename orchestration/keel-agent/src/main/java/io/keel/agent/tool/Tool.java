package io.keel.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A function an agent's model may call. Arguments are validated against {@link #parameters()} before
 * {@link #call} runs, so an implementation may trust their shape (not their content). Implementations are thread-safe:
 * several calls of one run execute in parallel.
 */
public interface Tool {
    /** The name the model calls it by: letters, digits, {@code _}, {@code -}, {@code .}. */
    String name();

    /** What it does, for the model. */
    String description();

    /** A JSON Schema (an object schema) of the arguments, as a JSON tree. */
    Map<String, Object> parameters();

    /**
     * Runs the tool. May block; the runtime abandons it (interrupting its thread) after the agent's tool timeout.
     *
     * @return the result text fed back to the model (after the injection scan, marked as untrusted)
     * @throws ToolException for a failure the model should be told about (bad input, not found, refused)
     */
    String call(JsonNode arguments, ToolContext context) throws Exception;
}
