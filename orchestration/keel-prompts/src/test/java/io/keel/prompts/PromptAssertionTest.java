package io.keel.prompts;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class PromptAssertionTest {
    private static final ApproxTokenCounter T = ApproxTokenCounter.INSTANCE;

    @Test
    void contains() {
        PromptAssertion a = new PromptAssertion.Contains("[1]");
        assertThat(a.check("yes [1].", T)).isEmpty();
        assertThat(a.check("yes.", T)).hasValueSatisfying(w -> assertThat(w).contains("does not contain \"[1]\"").contains("\"yes.\""));
    }

    @Test
    void notContains() {
        PromptAssertion a = new PromptAssertion.NotContains("sorry");
        assertThat(a.check("fine", T)).isEmpty();
        assertThat(a.check("so sorry", T)).hasValueSatisfying(w -> assertThat(w).contains("contains \"sorry\" at character 3"));
    }

    @Test
    void regex() {
        PromptAssertion a = new PromptAssertion.Regex(Pattern.compile("\\[\\d+]"));
        assertThat(a.check("see [12]", T)).isEmpty();
        assertThat(a.check("see [x]", T)).hasValueSatisfying(w -> assertThat(w).contains("matches /\\[\\d+]/"));
    }

    @Test
    void jsonSchema() {
        PromptAssertion a = new PromptAssertion.JsonSchema(InputSchema.of(Map.of(
                "type", "object", "required", java.util.List.of("answer"),
                "properties", Map.of("answer", Map.of("type", "string")))));
        assertThat(a.check("{\"answer\": \"42\"}", T)).isEmpty();
        assertThat(a.check("{\"answer\": 42}", T)).hasValueSatisfying(w -> assertThat(w).contains("does not match the JSON schema").contains("answer"));
        assertThat(a.check("{}", T)).hasValueSatisfying(w -> assertThat(w).contains("answer"));
        assertThat(a.check("The answer is 42", T)).hasValueSatisfying(w -> assertThat(w).contains("not JSON"));
    }

    @Test
    void maxTokens() {
        PromptAssertion a = new PromptAssertion.MaxTokens(3);
        assertThat(a.check("twelve chars", T)).isEmpty();
        assertThat(a.check("thirteen char", T)).hasValueSatisfying(w -> assertThat(w).isEqualTo("response is 4 tokens long, more than 3"));
        PromptAssertion words = new PromptAssertion.MaxTokens(2);
        io.keel.core.spi.TokenCounter byWord = new io.keel.core.spi.TokenCounter() {
            public int countTokens(String text) {
                return text.split("\\s+").length;
            }

            public int maxTokens() {
                return 100;
            }
        };
        assertThat(words.check("a b", byWord)).isEmpty();
        assertThat(words.check("a b c", byWord)).isPresent();
    }

    @Test
    void describesItselfAsWritten() {
        assertThat(new PromptAssertion.Contains("a\"b").describe()).isEqualTo("contains: \"a\\\"b\"");
        assertThat(new PromptAssertion.MaxTokens(5).describe()).isEqualTo("max_tokens: 5");
    }
}
