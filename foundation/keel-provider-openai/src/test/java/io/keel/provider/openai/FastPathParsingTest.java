package io.keel.provider.openai;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming fast paths: the raw embeddings scanner and the stream-chunk reader. */
class FastPathParsingTest {
    private static OpenAiEmbeddingModel.RawEmbeddings scan(String json, int expected) {
        return OpenAiEmbeddingModel.RawScanner.scan(json.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static String vector(OpenAiEmbeddingModel.RawEmbeddings raw, int i) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        raw.writeVector(i, out);
        assertThat(out.size()).isEqualTo(raw.vectorLength(i));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void keepsEachVectorAsTheUpstreamWroteIt() throws Exception {
        OpenAiEmbeddingModel.RawEmbeddings raw = scan("""
                {"object":"list","data":[{"object":"embedding","index":1,"embedding":[0.5,-1.25e-3,0]},
                 {"object":"embedding","embedding":[ 1 , 2.0E+2 ],"index":0}],"model":"m\\"x[",
                 "usage":{"prompt_tokens":7,"total_tokens":7},"extra":{"a":[true,false,null,"]}"]}}
                """, 2);
        assertThat(raw).isNotNull();
        assertThat(raw.isRaw()).isTrue();
        assertThat(raw.size()).isEqualTo(2);
        assertThat(raw.promptTokens()).isEqualTo(7);
        assertThat(vector(raw, 0)).isEqualTo("[ 1 , 2.0E+2 ]");
        assertThat(vector(raw, 1)).isEqualTo("[0.5,-1.25e-3,0]");
        assertThat(raw.embeddings().vectors().get(0)).containsExactly(1f, 200f);
        assertThat(raw.embeddings().vectors().get(1)).containsExactly(0.5f, -1.25e-3f, 0f);
    }

    @Test
    void leavesAnythingUnusualToTheFullParser() {
        String ok = "{\"data\":[{\"index\":0,\"embedding\":[%s]}]}";
        assertThat(scan(ok.formatted("1,2"), 1)).isNotNull();
        for (String bad : new String[] {"NaN", "1.", "01", "-", "1,,2", ",1", "1,", "\"1\"", "1e", ".5", "[1]", "Infinity"}) {
            assertThat(scan(ok.formatted(bad), 1)).as(bad).isNull();
        }
        assertThat(scan(ok.formatted("1"), 2)).isNull(); // fewer vectors than texts
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}", 2)).isNull();
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":\"AACAPw==\"}]}", 1)).isNull(); // base64
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]}]} x", 1)).isNull(); // trailing garbage
        assertThat(scan("{\"data\":[{\"index\":0,\"embedding\":[1]}]", 1)).isNull(); // truncated
        assertThat(scan("{\"d\\u0061ta\":[{\"index\":0,\"embedding\":[1]}]}", 1)).isNull(); // escaped key
        assertThat(scan("{\"data\":[{\"index\":1.0,\"embedding\":[1]}]}", 2)).isNull();
    }

    /** The streaming read of a chat completion against the tree read it replaced: same response, or the same error. */
    private static void sameAsTree(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Object tree;
        try {
            tree = OpenAiCodec.readResponse(OpenAiCodec.JSON.readTree(bytes));
        } catch (Exception e) {
            tree = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Object streamed;
        try {
            streamed = OpenAiCodec.readResponse(bytes);
        } catch (Exception e) {
            streamed = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (tree instanceof String t && t.startsWith("JsonParseException")) {
            assertThat(streamed).as(json).asString().startsWith("JsonParseException");
        } else {
            assertThat(streamed).as(json).isEqualTo(tree);
        }
    }

    @Test
    void readsChatCompletionsAsTheTreeDid() {
        sameAsTree("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,
                "message":{"role":"assistant","content":"Hi \\"you\\" \\u00e9"},"logprobs":null,"finish_reason":"stop"}],
                "usage":{"prompt_tokens":24,"completion_tokens":11,"total_tokens":35,"prompt_tokens_details":{"cached_tokens":8}},
                "system_fingerprint":"fp","extra":{"a":[1,{"b":null}]}}""");
        sameAsTree("""
                {"choices":[{"message":{"content":null,"tool_calls":[{"id":"c1","type":"function",
                "function":{"name":"lookup","arguments":"{\\"q\\":1}"}},{"id":"c2","function":{"name":"n","arguments":{"x":2}}}]},
                "finish_reason":"tool_calls"},{"message":{"content":"second choice"}}],"usage":null}""");
        sameAsTree("{\"choices\":[{\"message\":{\"content\":\"a\"},\"message\":{\"content\":\"b\"}}],\"id\":1,\"id\":2.50,\"model\":{}}");
        sameAsTree("{\"choices\":[{\"message\":{\"content\":[\"parts\"]},\"finish_reason\":7}],\"usage\":{\"prompt_tokens\":5}}");
        sameAsTree("{\"choices\":[{\"message\":\"text\"}]}");
        sameAsTree("{\"choices\":[\"x\",{\"message\":{}}]}");
        sameAsTree("{\"choices\":[]}");
        sameAsTree("{\"choices\":{\"0\":{\"message\":{}}}}");
        sameAsTree("{\"choices\":[{\"message\":{\"tool_calls\":{}}}]}");
        sameAsTree("{\"choices\":[{\"message\":{\"tool_calls\":[{\"id\":1}]}}]}");
        sameAsTree("[1,2]");
        sameAsTree("");
        sameAsTree("{\"choices\":[{\"message\":{}}]} trailing");
        sameAsTree("{\"choices\":[{\"message\":{\"content\":\"x\"}}");
        sameAsTree("{\"choices\":[{\"message\":{\"content\":tru}}]}");
    }

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
