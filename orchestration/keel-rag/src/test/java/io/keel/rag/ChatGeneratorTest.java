package io.keel.rag;

import io.keel.core.query.SearchHit;
import io.keel.core.spi.Generation;
import io.keel.core.spi.GenerationRequest;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChatGeneratorTest {
    private static SearchHit hit(String id, String text) {
        return new SearchHit("doc-" + id, "chunk-" + id, 0.9f, text, "handbook/" + id + ".md", "Title " + id, List.of(), Map.of());
    }

    @Test
    void rendersNumberedPassagesCitesWhatTheModelCitesAndReportsUsageAndPromptVersion() {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer();
             ModelGateway gateway = ModelGateway.fromConfig(List.of(Map.of("name", "gpt", "provider", "openai",
                     "model", "gpt-4o-mini", "endpoints", List.of(upstream.baseUri() + "/v1"),
                     "price", Map.of("input_per_1m", 0.15, "output_per_1m", 0.6))), k -> null, ModelCallListener.NONE)) {
            upstream.enqueue(Reply.text("Travel is booked via the portal [2]; receipts go to finance [2][9].").withUsage(300, 20));
            ChatGenerator generator = ChatGenerator.of(gateway, "gpt");
            Generation g = generator.generate(new GenerationRequest("How do I book travel?", null,
                    List.of(hit("1", "Holidays are 25 days."), hit("2", "Book travel through the travel portal."))));

            assertThat(g.citations()).extracting(c -> c.chunkId()).containsExactly("chunk-2");
            assertThat(g.usage().promptTokens()).isEqualTo(300);
            assertThat(g.usage().costUsd()).isGreaterThan(0);
            assertThat(g.promptId()).isEqualTo("rag-answer");
            assertThat(g.promptVersion()).matches("\\d+\\.\\d+\\.\\d+\\+[0-9a-f]{12}");
            assertThat(g.generator()).isEqualTo("gpt");
            String user = (String) ((Map<?, ?>) ((List<?>) upstream.requests().getFirst().json().get("messages")).get(1)).get("content");
            assertThat(user).contains("[1] Title 1 — handbook/1.md\nHolidays are 25 days.", "[2] Title 2",
                    "Question: How do I book travel?");
        }
    }
}
