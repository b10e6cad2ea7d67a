package io.keel.prompts;

import io.keel.core.chat.ChatMessage;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptLoaderTest {
    static final String VALID = """
            id: greet
            version: 1.2.0
            description: says hello
            model:
              model: small
              temperature: 0.2
              max_tokens: 50
              stop: ["\\n\\n"]
            input_schema:
              type: object
              properties:
                name: {type: string}
              required: [name]
            messages:
              - role: system
                content: You are polite.
              - role: user
                content: "Say hello to {{name}}."
            tests:
              - name: hello
                vars: {name: Ada}
                recorded_response: Hello, Ada!
                assert:
                  - contains: Ada
            """;

    @TempDir
    Path dir;

    @Test
    void loadsAValidFile() {
        PromptFile p = PromptLoader.parse(VALID, "greet.yaml");
        assertThat(p.id()).isEqualTo("greet");
        assertThat(p.semver()).isEqualTo("1.2.0");
        assertThat(p.description()).isEqualTo("says hello");
        assertThat(p.model()).isEqualTo(new ModelParams("small", 0.2, 50, null, java.util.List.of("\n\n")));
        assertThat(p.messages()).extracting(PromptMessage::role).containsExactly(ChatMessage.Role.SYSTEM, ChatMessage.Role.USER);
        assertThat(p.variables()).containsExactly("name");
        assertThat(p.tests()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("hello");
            assertThat(t.recordedResponse()).isEqualTo("Hello, Ada!");
            assertThat(t.assertions()).containsExactly(new PromptAssertion.Contains("Ada"));
        });
        assertThat(p.version().toString()).matches("greet@1\\.2\\.0\\+[0-9a-f]{12}");
    }

    @Test
    void loadsFromAFileKeepingItsText() throws Exception {
        Path f = dir.resolve("greet.yaml");
        Files.writeString(f, VALID);
        PromptFile p = PromptLoader.load(f);
        assertThat(p.origin()).isEqualTo(f.toString());
        assertThat(p.text()).isEqualTo(VALID);
    }

    @Test
    void templateIsOneUserMessage() {
        PromptFile p = PromptLoader.parse("id: t\ntemplate: 'Hi {{who}}'\n", "t.yaml");
        assertThat(p.messages()).singleElement().satisfies(m -> {
            assertThat(m.role()).isEqualTo(ChatMessage.Role.USER);
            assertThat(m.template().text()).isEqualTo("Hi {{who}}");
        });
    }

    @Test
    void unknownTopLevelKeyNamesFileIdAndField() {
        assertThatThrownBy(() -> PromptLoader.parse(VALID + "temprature: 1\n", "prompts/greet.yaml"))
                .isInstanceOf(KeelException.class)
                .satisfies(e -> assertThat(((KeelException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("prompts/greet.yaml")
                .hasMessageContaining("prompt 'greet'")
                .hasMessageContaining("field 'temprature'")
                .hasMessageContaining("unknown key");
    }

    @Test
    void unknownNestedKeysAreErrors() {
        assertError(VALID.replace("  max_tokens: 50", "  max_token: 50"), "field 'model.max_token'", "unknown key");
        assertError(VALID.replace("    content: You are polite.", "    content: You are polite.\n    name: x"), "field 'messages[0].name'");
        assertError(VALID.replace("    recorded_response:", "    recorded: x\n    recorded_response:"), "field 'tests[0].recorded'");
        assertError(VALID.replace("      - contains: Ada", "      - startswith: Ada"), "field 'tests[0].assert[0].startswith'");
    }

    @Test
    void requiredFieldsAndShapes() {
        assertError("template: hi\n", "field 'id'", "is required");
        assertError("id: Bad Id\ntemplate: hi\n", "field 'id'", "must match");
        assertError("id: t\n", "field 'messages'", "neither");
        assertError("id: t\ntemplate: hi\nmessages: [{role: user, content: hi}]\n", "field 'messages'", "both");
        assertError("id: t\nmessages: [{role: tool, content: hi}]\n", "field 'messages[0].role'", "'tool' is not one of");
        assertError("id: t\nmessages: [{role: user}]\n", "field 'messages[0].content'", "is required");
        assertError("id: t\nversion: v1\ntemplate: hi\n", "field 'version'", "semantic version");
        assertError("id: t\ntemplate: hi\nmodel: {temperature: 3}\n", "field 'model.temperature'", "outside 0 to 2");
        assertError("- just\n- a list\n", "must be a YAML mapping");
        assertError("id: t\ntemplate: hi\nid: u\n", "not valid YAML", "Duplicate field 'id'");
    }

    @Test
    void templatesAreLogicFreeAndWellFormed() {
        assertError("id: t\ntemplate: 'x {{#items}}y{{/items}}'\n", "field 'template'", "logic-free");
        assertError("id: t\ntemplate: 'x {{name'\n", "field 'template'", "never closed");
        assertError("id: t\ntemplate: {{name}}\n", "not valid YAML", "must be quoted");
    }

    @Test
    void schemaMustDeclareExactlyTheVariablesUsed() {
        assertError(VALID.replace("Say hello to {{name}}.", "Say hello to {{name}} from {{city}}."),
                "field 'input_schema.properties'", "does not declare 'city'");
        assertError(VALID.replace("name: {type: string}", "name: {type: string}\n    age: {type: integer}"),
                "field 'input_schema.properties.age'", "no message uses {{age}}");
        assertError(VALID.replace("type: object", "type: 17"), "field 'input_schema'", "not a valid JSON schema");
    }

    @Test
    void assertionsAreValidated() {
        assertError(VALID.replace("- contains: Ada", "- regex: '(unclosed'"), "field 'tests[0].assert[0].regex'", "not a valid regular expression");
        assertError(VALID.replace("- contains: Ada", "- max_tokens: -1"), "field 'tests[0].assert[0].max_tokens'", "whole number > 0");
        assertError(VALID.replace("- contains: Ada", "- {contains: a, regex: b}"), "field 'tests[0].assert[0]'", "exactly one");
        assertError(VALID.replace("    assert:\n      - contains: Ada", "    assert: []"), "field 'tests[0].assert'", "must not be empty");
        assertError(VALID.replace("- name: hello", "- name: hello\n    vars: {name: [a, b]}").replace("    vars: {name: Ada}\n", ""),
                "field 'tests[0].vars.name'", "text, a number or a boolean");
    }

    @Test
    void testNamesAreUnique() {
        String twice = VALID + """
                  - name: hello
                    vars: {name: Bob}
                    assert:
                      - contains: Bob
                """;
        assertError(twice, "field 'tests[1].name'", "'hello' is used by another test");
    }

    @Test
    void aTestWithAnUnknownVariableStillLoads() {
        PromptFile p = PromptLoader.parse(VALID.replace("vars: {name: Ada}", "vars: {nom: Ada}"), "greet.yaml");
        assertThat(p.tests()).hasSize(1);
    }

    private static void assertError(String yaml, String... fragments) {
        assertThatThrownBy(() -> PromptLoader.parse(yaml, "x.yaml"))
                .isInstanceOf(KeelException.class)
                .hasMessageStartingWith("x.yaml: ")
                .satisfies(e -> {
                    for (String f : fragments) assertThat(e.getMessage()).contains(f);
                });
    }
}
