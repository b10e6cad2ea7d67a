package io.keel.agent.run;

import io.keel.core.answer.Usage;

import java.util.Objects;

/**
 * One recorded event of a run: a model call, or one tool call the model asked for in that step.
 *
 * @param step        the step number, from 1; a model call and the tool calls it asked for share it
 * @param kind        {@code model} or {@code tool}
 * @param name        the model (as {@code name@version} when registered) or the tool name
 * @param arguments   for a tool call, its arguments as the model wrote them (redacted before any log stores them); null otherwise
 * @param resultChars characters of the model's answer or the tool's output
 * @param latencyMs   time the call took
 * @param usage       tokens and cost of a model call; zero for a tool call
 * @param flagged     a tool output the injection scan flagged (and the model never saw)
 * @param error       why the call failed, or null
 */
public record RunStep(int step, String kind, String name, String arguments, int resultChars, double latencyMs, Usage usage,
                      boolean flagged, String error) {
    public static final String MODEL = "model";
    public static final String TOOL = "tool";

    public RunStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        usage = Objects.requireNonNullElse(usage, Usage.ZERO);
    }
}
