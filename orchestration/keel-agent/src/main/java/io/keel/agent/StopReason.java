package io.keel.agent;

import java.util.Locale;

/** Why a run ended. Every run that ends has exactly one; a limit is never a hang. */
public enum StopReason {
    /** The model gave a final answer (no more tool calls). */
    COMPLETED,
    /** {@link AgentLimits#maxSteps()} model calls were made and the model still asked for tools. */
    MAX_STEPS,
    /** The model asked for the same tool call more than {@link AgentLimits#maxIdenticalCalls()} times in a row. */
    IDENTICAL_CALLS,
    /** The run used {@link AgentLimits#maxTokens()} tokens. */
    MAX_TOKENS,
    /** The run cost {@link AgentLimits#maxCostUsd()}. */
    MAX_COST,
    /** The caller's budget could not cover the next model call (the shared budget reservation refused it). */
    BUDGET,
    /** The guard blocked the input (no model was called) or the model's text; the answer is the guard's refusal. */
    BLOCKED,
    /** {@link AgentLimits#wallTime()} passed. */
    WALL_TIME,
    /** The run's conversation outgrew the store's bound on a run's state. */
    STATE_LIMIT,
    /** The model call failed; the run can be resumed from its last completed step. */
    MODEL_ERROR;

    /** The lower-case name used on the wire and in the store, e.g. {@code max_steps}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static StopReason fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Whether the run is over for good; a failed model call leaves it resumable. */
    public boolean terminal() {
        return this != MODEL_ERROR;
    }
}
