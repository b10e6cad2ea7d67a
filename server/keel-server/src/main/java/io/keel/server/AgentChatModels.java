package io.keel.server;

import io.keel.agent.Agents;
import io.keel.agent.RunListener;
import io.keel.agent.StopReason;
import io.keel.agent.run.AgentRun;
import io.keel.app.Keel;
import io.keel.core.answer.Caller;
import io.keel.core.chat.ChatMessage;
import io.keel.core.error.KeelException;
import io.keel.openai.api.AgentModels;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** The instance's agents as {@code agent:NAME} models of {@code /v1/chat/completions}. */
final class AgentChatModels implements AgentModels {
    private final Keel keel;

    AgentChatModels(Keel keel) {
        this.keel = keel;
    }

    @Override
    public List<String> agents() {
        try {
            return keel.agents().map(Agents::names).orElse(List.of());
        } catch (KeelException e) {
            return List.of(); // agents that cannot start (an MCP server down) are not listed; running one says why
        }
    }

    @Override
    public Optional<Reply> run(String agent, List<ChatMessage> messages, Caller caller, Consumer<String> tokens) {
        Optional<Agents> agents = keel.agents();
        if (agents.isEmpty() || agents.get().find(agent).isEmpty()) return Optional.empty();
        RunListener listener = tokens == null ? RunListener.NONE : tokens::accept;
        AgentRun run = agents.get().run(agent, messages, caller, listener);
        return Optional.of(new Reply(run.id(), run.answer(), run.usage(), run.status().wireName(),
                run.stopReason() == null ? null : run.stopReason().wireName(), run.stopReason() == StopReason.COMPLETED,
                run.stopReason() == StopReason.MODEL_ERROR ? run.error() : null));
    }
}
