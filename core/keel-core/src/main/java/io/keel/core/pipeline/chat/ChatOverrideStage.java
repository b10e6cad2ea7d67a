package io.keel.core.pipeline.chat;

import io.keel.core.chat.ChatRequest;
import io.keel.core.pipeline.NamedStage;
import io.keel.core.spi.GenerationSettings;

/**
 * Applies the experiment variant's generation overrides to a chat completion: another model ({@code model}), sampling
 * temperature ({@code generator.temperature}) or answer length ({@code generator.max_tokens}). Runs right after the
 * variant stage, so guards, the budget reservation and the model call all see the model actually asked, and lineage
 * records it. A {@code prompt} override has no meaning here (the caller sends its own messages) and is left to the
 * query route.
 */
public final class ChatOverrideStage extends NamedStage<ChatExchange, ChatResult> {
    public ChatOverrideStage() {
        super("generation-overrides", "variant");
    }

    @Override
    public ChatResult handle(ChatExchange request, Chain<ChatExchange, ChatResult> chain) {
        GenerationSettings s = GenerationSettings.from(request.trail().variant().overrides());
        if (s.model() == null && s.temperature() == null && s.maxTokens() == null) return chain.proceed(request);
        ChatRequest chat = request.chat();
        if (s.model() != null) chat = chat.withModel(s.model());
        if (s.temperature() != null) chat = chat.withTemperature(s.temperature());
        if (s.maxTokens() != null) chat = chat.withMaxTokens(s.maxTokens());
        return chain.proceed(new ChatExchange(request.id(), request.route(), request.received(), request.caller(),
                request.timings(), request.trail(), chat, request.stream()));
    }
}
