package io.keel.prompts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.spi.TokenCounter;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A check on a model's response in a prompt test. Each kind says, when it fails, what it expected and what it saw,
 * so a red CI run is readable without re-running anything.
 */
public sealed interface PromptAssertion {
    /** The assertion as written in the file, e.g. {@code contains: "[1]"}. */
    String describe();

    /** Empty when {@code response} passes; otherwise why it failed. */
    Optional<String> check(String response, TokenCounter tokens);

    /** The response contains {@code text} (case-sensitive). */
    record Contains(String text) implements PromptAssertion {
        public Contains {
            Objects.requireNonNull(text, "text");
        }

        public String describe() {
            return "contains: " + Snippet.quote(text);
        }

        public Optional<String> check(String response, TokenCounter tokens) {
            return response.contains(text) ? Optional.empty()
                    : Optional.of("response does not contain " + Snippet.quote(text) + "; response: " + Snippet.of(response));
        }
    }

    /** The response does not contain {@code text} (case-sensitive). */
    record NotContains(String text) implements PromptAssertion {
        public NotContains {
            Objects.requireNonNull(text, "text");
        }

        public String describe() {
            return "not_contains: " + Snippet.quote(text);
        }

        public Optional<String> check(String response, TokenCounter tokens) {
            int at = response.indexOf(text);
            return at < 0 ? Optional.empty()
                    : Optional.of("response contains " + Snippet.quote(text) + " at character " + at + "; response: " + Snippet.of(response));
        }
    }

    /** Some part of the response matches {@code pattern} (Java regex syntax, {@code find} semantics). */
    record Regex(Pattern pattern) implements PromptAssertion {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
        }

        public String describe() {
            return "regex: " + Snippet.quote(pattern.pattern());
        }

        public Optional<String> check(String response, TokenCounter tokens) {
            return pattern.matcher(response).find() ? Optional.empty()
                    : Optional.of("no part of the response matches /" + pattern.pattern() + "/; response: " + Snippet.of(response));
        }
    }

    /** The whole response is a JSON document valid against {@code schema}. */
    record JsonSchema(InputSchema schema) implements PromptAssertion {
        private static final ObjectMapper JSON = new ObjectMapper();

        public JsonSchema {
            Objects.requireNonNull(schema, "schema");
        }

        public String describe() {
            return "json_schema: " + schema.json();
        }

        public Optional<String> check(String response, TokenCounter tokens) {
            try {
                JSON.readTree(response);
            } catch (JsonProcessingException e) {
                return Optional.of("response is not JSON (" + e.getOriginalMessage() + "); response: " + Snippet.of(response));
            }
            List<String> errors = schema.validateJson(response);
            return errors.isEmpty() ? Optional.empty()
                    : Optional.of("response does not match the JSON schema: " + String.join("; ", errors));
        }
    }

    /** The response is at most {@code max} tokens long, as the tester's token counter counts them. */
    record MaxTokens(int max) implements PromptAssertion {
        public MaxTokens {
            if (max <= 0) throw new IllegalArgumentException("max_tokens must be > 0");
        }

        public String describe() {
            return "max_tokens: " + max;
        }

        public Optional<String> check(String response, TokenCounter tokens) {
            int n = tokens.countTokens(response);
            return n <= max ? Optional.empty() : Optional.of("response is " + n + " tokens long, more than " + max);
        }
    }
}
