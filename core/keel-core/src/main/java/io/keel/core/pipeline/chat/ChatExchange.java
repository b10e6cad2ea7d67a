package io.keel.core.pipeline.chat;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Timings;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.pipeline.RouteRequest;
import io.keel.core.pipeline.Trail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A chat completion on its way through the chat route's pipeline ({@code /v1/chat/completions} with a configured model,
 * or a model call made by another route's stage).
 *
 * @param chat   the request to send to the model
 * @param stream whether the caller wants the answer streamed
 */
public record ChatExchange(String id, String route, Instant received, Caller caller, Timings.Recorder timings, Trail trail,
                           ChatRequest chat, boolean stream) implements RouteRequest<ChatExchange> {
    public ChatExchange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(timings, "timings");
        Objects.requireNonNull(trail, "trail");
        caller = Objects.requireNonNullElse(caller, Caller.ANONYMOUS);
        received = Objects.requireNonNullElseGet(received, Instant::now);
    }

    public static ChatExchange start(String id, String route, Caller caller, ChatRequest chat, boolean stream) {
        return new ChatExchange(id, route, Instant.now(), caller, new Timings.Recorder(), new Trail(), chat, stream);
    }

    /** The last message when it is the user's: what the input guard inspects; null otherwise. */
    @Override
    public String guardedText() {
        ChatMessage last = chat.messages().getLast();
        return last.role() == ChatMessage.Role.USER ? last.content() : null;
    }

    @Override
    public ChatExchange copyAs(String newId) {
        return new ChatExchange(newId, route, received, caller, new Timings.Recorder(), new Trail(), chat, false);
    }

    @Override
    public ChatExchange withGuardedText(String text) {
        List<ChatMessage> messages = new ArrayList<>(chat.messages());
        ChatMessage last = messages.getLast();
        messages.set(messages.size() - 1, new ChatMessage(last.role(), text, last.toolCalls(), last.toolCallId(), last.name()));
        return new ChatExchange(id, route, received, caller, timings, trail, chat.withMessages(messages), stream);
    }
}
