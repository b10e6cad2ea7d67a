package io.keel.agent.run;

import java.util.List;
import java.util.Optional;

/**
 * Where runs are kept: their outcome and steps (to inspect), and their state (to resume after a restart). Each
 * {@link #save} is atomic: a run is always seen as of a completed step. Implementations are thread-safe.
 */
public interface RunStore {
    /**
     * Writes the run as of its latest completed step, with the events that step added.
     *
     * @param newEvents events not saved before (the store appends them)
     */
    void save(AgentRun run, RunState state, List<RunStep> newEvents);

    /** The run with all its events, or empty when unknown. */
    Optional<AgentRun> find(String id);

    /** The state to resume from, or empty when unknown. */
    Optional<RunState> state(String id);

    /** Keeps nothing: runs are neither inspectable nor resumable (embedding without a database). */
    RunStore NONE = new RunStore() {
        @Override
        public void save(AgentRun run, RunState state, List<RunStep> newEvents) {
        }

        @Override
        public Optional<AgentRun> find(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<RunState> state(String id) {
            return Optional.empty();
        }
    };
}
