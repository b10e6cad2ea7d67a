package io.keel.provider.openai;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream-chunk reader's fast path. */
class StreamChunkParsingTest {
    @Test
    void readsStreamChunksAsTheTreeDid() throws Exception {
        OpenAiChatModel.Chunk c = OpenAiChatModel.Chunk.parse("""
                {"id":"x","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"content":"Hi \\"you\\""},
                "finish_reason":null}],"usage":null}""");
        assertThat(c.id).isEqualTo("x");
        assertThat(c.model).isEqualTo("m");
        assertThat(c.choice).isTrue();
        assertThat(c.content).isEqualTo("Hi \"you\"");
        assertThat(c.finishReason).isNull();
        assertThat(c.usage).isNull();
        assertThat(c.error).isNull();

        c = OpenAiChatModel.Chunk.parse("{\"id\":12,\"choices\":[{\"delta\":{\"content\":5,\"tool_calls\":[{\"index\":0}]},"
                + "\"finish_reason\":\"stop\"},{\"delta\":{\"content\":\"ignored\"}}],\"usage\":{\"prompt_tokens\":3}}");
        assertThat(c.id).isEqualTo("12");
        assertThat(c.content).isNull();
        assertThat(c.toolCalls.isArray()).isTrue();
        assertThat(c.finishReason).isEqualTo("stop");
        assertThat(c.usage.path("prompt_tokens").asInt()).isEqualTo(3);

        assertThat(OpenAiChatModel.Chunk.parse("{\"choices\":[]}").choice).isFalse();
        assertThat(OpenAiChatModel.Chunk.parse("{\"choices\":[1]}").choice).isFalse();
        assertThat(OpenAiChatModel.Chunk.parse("42").choice).isFalse();
        assertThat(OpenAiChatModel.Chunk.parse("").choice).isFalse();
        assertThat(OpenAiChatModel.Chunk.parse("{\"error\":null}").error).isNotNull();
        assertThat(OpenAiChatModel.Chunk.parse("{\"error\":{\"message\":\"boom\"}}").error.path("message").asText())
                .isEqualTo("boom");
    }
}
