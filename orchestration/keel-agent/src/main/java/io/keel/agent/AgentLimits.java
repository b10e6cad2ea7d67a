package io.keel.agent;

import io.keel.core.config.ConfigNode;

import java.time.Duration;

/**
 * What one run of an agent may use. Every limit is enforced in every mode (plain, streamed, resumed); reaching one ends
 * the run with the matching {@link StopReason}, never a hang.
 *
 * @param maxSteps          model calls per run (a step is one model call and the tools it asked for)
 * @param maxIdenticalCalls how many times in a row the model may ask for the same tool with the same arguments
 * @param maxTokens         prompt plus completion tokens over the whole run; 0 for no limit
 * @param maxCostUsd        cost over the whole run; 0 for no limit (the caller's budgets apply to every call anyway)
 * @param wallTime          time from the run's start to its end, model and tool time included
 * @param toolTimeout       time one tool call may take before it is abandoned with an error result
 * @param maxToolOutputChars characters of one tool's output fed back to the model; the rest is cut off
 */
public record AgentLimits(int maxSteps, int maxIdenticalCalls, long maxTokens, double maxCostUsd, Duration wallTime,
                          Duration toolTimeout, int maxToolOutputChars) {
    /** 10 steps, 3 identical calls in a row, no token or cost limit of its own, 2 minutes, 30 s per tool, 16k characters. */
    public static final AgentLimits DEFAULTS = new AgentLimits(10, 3, 0, 0, Duration.ofMinutes(2), Duration.ofSeconds(30), 16_000);

    /** Hard ceilings no agent file may exceed, so a run's stored state stays bounded. */
    public static final int MAX_STEPS_CEILING = 200;

    public AgentLimits {
        if (maxSteps < 1 || maxSteps > MAX_STEPS_CEILING) throw new IllegalArgumentException("max_steps must be between 1 and " + MAX_STEPS_CEILING);
        if (maxIdenticalCalls < 1) throw new IllegalArgumentException("max_identical_calls must be >= 1");
        if (maxTokens < 0) throw new IllegalArgumentException("max_tokens must be >= 0");
        if (maxCostUsd < 0) throw new IllegalArgumentException("max_cost_usd must be >= 0");
        if (wallTime == null || wallTime.isNegative() || wallTime.isZero()) throw new IllegalArgumentException("wall_time must be > 0");
        if (toolTimeout == null || toolTimeout.isNegative() || toolTimeout.isZero()) throw new IllegalArgumentException("tool_timeout must be > 0");
        if (maxToolOutputChars < 1) throw new IllegalArgumentException("max_tool_output_chars must be >= 1");
    }

    /** Reads a {@code limits:} section; absent keys take {@link #DEFAULTS}. */
    public static AgentLimits from(ConfigNode n) {
        AgentLimits d = DEFAULTS;
        return new AgentLimits(
                n.integer("max_steps", d.maxSteps, 1, MAX_STEPS_CEILING),
                n.integer("max_identical_calls", d.maxIdenticalCalls, 1, 100),
                n.longValue("max_tokens", d.maxTokens, 0, Long.MAX_VALUE),
                n.decimal("max_cost_usd", d.maxCostUsd, 0, 1_000_000),
                n.duration("wall_time", d.wallTime, Duration.ofMillis(10), Duration.ofHours(24)),
                n.duration("tool_timeout", d.toolTimeout, Duration.ofMillis(10), Duration.ofHours(1)),
                n.integer("max_tool_output_chars", d.maxToolOutputChars, 1, 1_000_000));
    }

    public AgentLimits withMaxSteps(int n) {
        return new AgentLimits(n, maxIdenticalCalls, maxTokens, maxCostUsd, wallTime, toolTimeout, maxToolOutputChars);
    }

    public AgentLimits withWallTime(Duration d) {
        return new AgentLimits(maxSteps, maxIdenticalCalls, maxTokens, maxCostUsd, d, toolTimeout, maxToolOutputChars);
    }

    public AgentLimits withToolTimeout(Duration d) {
        return new AgentLimits(maxSteps, maxIdenticalCalls, maxTokens, maxCostUsd, wallTime, d, maxToolOutputChars);
    }
}
