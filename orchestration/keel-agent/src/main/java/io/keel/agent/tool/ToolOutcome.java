package io.keel.agent.tool;

/**
 * What one tool call produced, as fed back to the model and recorded.
 *
 * @param callId       the model's call id
 * @param tool         the tool name
 * @param content      the tool message the model receives: the output wrapped as untrusted, or the error
 * @param outputChars  characters of the tool's raw output (0 on error)
 * @param latencyNanos time the call took
 * @param flagged      the injection scan flagged the output, which was then withheld from the model
 * @param error        why the call failed (invalid arguments, unknown tool, timeout, the tool's error), or null
 */
public record ToolOutcome(String callId, String tool, String content, int outputChars, long latencyNanos, boolean flagged,
                          String error) {
    public boolean ok() {
        return error == null;
    }
}
