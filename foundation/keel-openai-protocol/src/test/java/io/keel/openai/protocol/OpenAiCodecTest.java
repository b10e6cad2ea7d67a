package io.keel.openai.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The streaming read of a chat completion against the tree read: same response, or the same error. */
class OpenAiCodecTest {
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
}
