package io.keel.core.pipeline.chat;

import io.keel.core.answer.Lineage;
import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.pipeline.NamedStage;
import io.keel.core.pipeline.Pipeline;
import io.keel.core.pipeline.Stage;
import io.keel.core.pipeline.Variant;
import io.keel.core.pipeline.VariantStage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChatOverrideStageTest {
    private final List<ChatRequest> seen = new ArrayList<>();

    private ChatResult run(Variant variant, ChatRequest chat) {
        Stage<ChatExchange, ChatResult> model = new NamedStage<>("model", "inference") {
            @Override
            public ChatResult handle(ChatExchange r, Chain<ChatExchange, ChatResult> c) {
                seen.add(r.chat());
                return ChatResult.refused(r.id(), r.chat().model(), "ok", null, Lineage.EMPTY);
            }
        };
        return new Pipeline<>(List.of(new VariantStage<>(request -> variant), new ChatOverrideStage(), model))
                .run(ChatExchange.start("c1", "/v1/chat/completions", null, chat, false));
    }

    @Test
    void theVariantsModelTemperatureAndLengthReplaceTheCallers() {
        ChatRequest asked = ChatRequest.of("strong", List.of(ChatMessage.user("hi"))).withTemperature(0.9);
        ChatResult r = run(new Variant("cost", "cheap", Map.of("model", "cheap", "generator.temperature", 0.1,
                "generator.max_tokens", 64)), asked);
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.model()).isEqualTo("cheap");
            assertThat(c.temperature()).isEqualTo(0.1);
            assertThat(c.maxTokens()).isEqualTo(64);
            assertThat(c.messages()).isEqualTo(asked.messages());
        });
        assertThat(r.lineage().variant()).isEqualTo("cheap");
    }

    @Test
    void aVariantWithoutGenerationOverridesLeavesTheRequestAlone() {
        ChatRequest asked = ChatRequest.of("strong", List.of(ChatMessage.user("hi")));
        run(Variant.NONE, asked);
        run(new Variant("r", "bm25", Map.of("retrieval.mode", "bm25", "prompt", "2.0.0")), asked);
        assertThat(seen).containsExactly(asked, asked);
    }
}
