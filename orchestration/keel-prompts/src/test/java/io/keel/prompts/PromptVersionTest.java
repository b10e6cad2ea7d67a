package io.keel.prompts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromptVersionTest {
    private static final String BASE = PromptLoaderTest.VALID;

    private static PromptVersion v(String yaml) {
        return PromptLoader.parse(yaml, "x.yaml").version();
    }

    @Test
    void hashIsStableAcrossLoads() {
        assertThat(v(BASE)).isEqualTo(v(BASE));
        assertThat(v(BASE).hash()).matches("[0-9a-f]{12}");
    }

    @Test
    void hashIsAPinnedFunctionOfTheContent() {
        // Pinned so an accidental change to the canonical form (which would re-version every prompt) fails here.
        assertThat(v("id: t\ntemplate: 'Hi {{who}}'\n").hash()).isEqualTo(v("id: t\ntemplate: 'Hi {{who}}'\n").hash())
                .isEqualTo(PromptVersion.of("t", "{\"messages\":[{\"content\":\"Hi {{who}}\",\"role\":\"user\"}]}", null).hash());
    }

    @Test
    void hashChangesWithTheTemplateModelParametersAndSchema() {
        PromptVersion base = v(BASE);
        assertThat(v(BASE.replace("Say hello to", "Greet"))).isNotEqualTo(base);
        assertThat(v(BASE.replace("You are polite.", "You are terse."))).isNotEqualTo(base);
        assertThat(v(BASE.replace("temperature: 0.2", "temperature: 0.3")).hash()).isNotEqualTo(base.hash());
        assertThat(v(BASE.replace("name: {type: string}", "name: {type: string, maxLength: 9}")).hash()).isNotEqualTo(base.hash());
    }

    @Test
    void hashIgnoresTestsDescriptionCommentsAndYamlStyle() {
        String base = v(BASE).hash();
        assertThat(v(BASE.replace("recorded_response: Hello, Ada!", "recorded_response: Hi Ada")).hash()).isEqualTo(base);
        assertThat(v(BASE.replace("- contains: Ada", "- not_contains: Bob")).hash()).isEqualTo(base);
        assertThat(v(BASE.replace("description: says hello", "description: greets people")).hash()).isEqualTo(base);
        assertThat(v("# a comment\n" + BASE.replace("content: You are polite.", "content: |\n      You are polite.")).hash()).isEqualTo(base);
        assertThat(v(BASE.replace("version: 1.2.0", "version: 1.3.0")).hash()).isEqualTo(base);
    }

    @Test
    void templateAndSingleUserMessageAreTheSameContent() {
        assertThat(v("id: t\ntemplate: 'Hi {{who}}'\n"))
                .isEqualTo(v("id: t\nmessages:\n  - role: user\n    content: 'Hi {{who}}'\n"));
    }

    @Test
    void displaysIdAtHashOrSemverPlusHash() {
        PromptVersion plain = v("id: t\ntemplate: hi\n");
        assertThat(plain.toString()).isEqualTo("t@" + plain.hash());
        PromptVersion named = v(BASE);
        assertThat(named.toString()).isEqualTo("greet@1.2.0+" + named.hash());
        assertThat(named.ref()).isEqualTo("1.2.0+" + named.hash());
    }
}
