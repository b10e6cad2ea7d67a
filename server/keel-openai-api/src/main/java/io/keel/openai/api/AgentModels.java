package io.keel.openai.api;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Usage;
import io.keel.core.chat.ChatMessage;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Lets {@code /v1/chat/completions} answer with an agent: a request for model {@code agent:NAME} runs agent
 * {@code NAME} on the request's messages to its end (a final answer or a limit) and answers with its final text; the
 * run is described in an extra {@code agent_run} field. Implemented by the server wiring; must be thread-safe.
 */
public interface AgentModels {
    /** Agents that may be named as {@code agent:NAME}, listed by {@code GET /v1/models}. */
    List<String> agents();

    /**
     * Runs agent {@code agent}.
     *
     * @param tokens null for a plain answer; otherwise receives the model's text as it is produced (never concurrently)
     * @return the run's outcome, or empty when no agent has that name
     * @throws io.keel.core.error.KeelException when the run cannot start (bad input, an agent that names unknown tools)
     */
    Optional<Reply> run(String agent, List<ChatMessage> messages, Caller caller, Consumer<String> tokens);

    /**
     * How a run ended.
     *
     * @param completed  true when the agent gave its final answer; false when a limit or a failure ended the run
     * @param stopReason the run's stop reason, e.g. {@code completed}, {@code max_steps}
     * @param error      for a run whose model call failed, why; null otherwise
     */
    record Reply(String runId, String text, Usage usage, String status, String stopReason, boolean completed, String error) {
    }

    AgentModels NONE = new AgentModels() {
        @Override
        public List<String> agents() {
            return List.of();
        }

        @Override
        public Optional<Reply> run(String agent, List<ChatMessage> messages, Caller caller, Consumer<String> tokens) {
            return Optional.empty();
        }
    };
}
