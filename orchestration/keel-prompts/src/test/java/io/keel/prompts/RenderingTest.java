package io.keel.prompts;

import io.keel.core.chat.ChatMessage;
import io.keel.core.chat.ChatRequest;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RenderingTest {
    private final PromptFile greet = PromptLoader.parse(PromptLoaderTest.VALID, "greet.yaml");

    @Test
    void rendersEveryMessage() {
        assertThat(greet.render(Map.of("name", "Ada")))
                .containsExactly(ChatMessage.system("You are polite."), ChatMessage.user("Say hello to Ada."));
    }

    @Test
    void valuesAreInsertedVerbatim() {
        PromptFile p = PromptLoader.parse("id: t\ntemplate: '{{ a }}|{{b}}|{{a}}'\n", "t.yaml");
        assertThat(p.render(Map.of("a", "{{b}}", "b", 2))).containsExactly(ChatMessage.user("{{b}}|2|{{b}}"));
    }

    @Test
    void aMissingVariableIsAnError() {
        PromptFile p = PromptLoader.parse("id: t\ntemplate: '{{a}} and {{b}}'\n", "t.yaml");
        assertThatThrownBy(() -> p.render(Map.of("a", "x")))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("variable 'b' is missing; it uses a, b");
    }

    @Test
    void anUnknownVariableIsAnError() {
        assertThatThrownBy(() -> greet.render(Map.of("name", "Ada", "nmae", "Ada")))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("variable 'nmae' is not used by the prompt; it uses name");
        assertThatThrownBy(() -> greet.render(Map.of("nmae", "Ada")))
                .hasMessageContaining("variable 'name' is missing, and variable 'nmae' is not used by the prompt");
    }

    @Test
    void variablesAreCheckedAgainstTheSchema() {
        PromptFile p = PromptLoader.parse("""
                id: t
                input_schema:
                  type: object
                  properties:
                    n: {type: integer, minimum: 1}
                template: 'top {{n}}'
                """, "t.yaml");
        assertThat(p.render(Map.of("n", 3))).containsExactly(ChatMessage.user("top 3"));
        assertThatThrownBy(() -> p.render(Map.of("n", "three")))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("do not match input_schema")
                .hasMessageContaining("n");
        assertThatThrownBy(() -> p.render(Map.of("n", 0))).hasMessageContaining("minimum");
    }

    @Test
    void structuredValuesAreRejected() {
        PromptFile p = PromptLoader.parse("id: t\ntemplate: '{{items}}'\n", "t.yaml");
        assertThatThrownBy(() -> p.render(Map.of("items", List.of("a", "b"))))
                .isInstanceOf(KeelException.class)
                .hasMessageContaining("format lists into text");
    }

    @Test
    void requestCarriesTheModelParameters() {
        ChatRequest r = greet.toRequest(null, Map.of("name", "Ada"));
        assertThat(r.model()).isEqualTo("small");
        assertThat(r.temperature()).isEqualTo(0.2);
        assertThat(r.maxTokens()).isEqualTo(50);
        assertThat(r.stop()).containsExactly("\n\n");
        assertThat(greet.toRequest("big", Map.of("name", "Ada")).model()).isEqualTo("big");
        PromptFile noModel = PromptLoader.parse("id: t\ntemplate: hi\n", "t.yaml");
        assertThatThrownBy(() -> noModel.toRequest(null, Map.of())).hasMessageContaining("names no model");
    }
}
