package io.keel.agent.run;

import io.keel.core.chat.ChatMessage;

import java.util.List;
import java.util.Objects;

/**
 * What a run needs to continue after a restart, as of its last completed step: the conversation so far and the
 * identical-call streak.
 *
 * @param conversation  every message sent to and received from the model, tool results included
 * @param lastCall      the signature (tool name and canonical arguments) of the last tool call, or null
 * @param identicalRun  how many times in a row {@code lastCall} was asked for
 */
public record RunState(List<ChatMessage> conversation, String lastCall, int identicalRun) {
    public RunState {
        conversation = List.copyOf(Objects.requireNonNull(conversation, "conversation"));
    }
}
