package io.keel.core.chat;

/**
 * A piece of a tool call as it streams in. The first delta of a call carries its {@code id} and {@code name};
 * later ones carry only further characters of the arguments.
 *
 * @param index          position of the call within the response, stable across its deltas
 * @param id             the call id on the first delta, null after
 * @param name           the function name on the first delta, null after
 * @param argumentsDelta the next characters of the JSON arguments; may be empty, never null
 */
public record ToolCallDelta(int index, String id, String name, String argumentsDelta) {
    public ToolCallDelta {
        if (index < 0) throw new IllegalArgumentException("index must be >= 0");
        argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
    }
}
