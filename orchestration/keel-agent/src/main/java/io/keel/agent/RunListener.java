package io.keel.agent;

import io.keel.agent.run.RunStep;

/**
 * Watches a streamed run. Callbacks are never concurrent and none arrives after {@link AgentRuntime#run} returned; they
 * may come from a thread other than the caller's (a model call runs on its own thread so the wall-time limit can end
 * it). A callback that throws ends the run (the client is gone).
 */
public interface RunListener {
    /** The next piece of the model's text in the current step. */
    void onToken(String token);

    /** A step's model call or tool call finished. */
    default void onStep(RunStep step) {
    }

    /** Nothing to watch: a plain (not streamed) run. */
    RunListener NONE = token -> { };
}
