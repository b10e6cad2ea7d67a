package io.keel.prompts;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromptDiffTest {
    @Test
    void unifiedDiffOfTwoVersions() {
        PromptFile a = PromptLoader.parse("id: t\nversion: 1.0.0\ntemplate: 'Hello {{name}}'\ntests: []\n", "a.yaml");
        PromptFile b = PromptLoader.parse("id: t\nversion: 1.1.0\ntemplate: 'Hi {{name}}'\ntests: []\n", "b.yaml");
        String diff = PromptDiff.unified(a, b);
        assertThat(diff).isEqualTo("""
                --- %s (a.yaml)
                +++ %s (b.yaml)
                @@ -1,4 +1,4 @@
                 id: t
                -version: 1.0.0
                -template: 'Hello {{name}}'
                +version: 1.1.0
                +template: 'Hi {{name}}'
                 tests: []
                """.formatted(a.version(), b.version()));
    }

    @Test
    void identicalTextsHaveNoDiff() {
        PromptFile a = PromptLoader.parse("id: t\ntemplate: hi\n", "a.yaml");
        assertThat(PromptDiff.unified(a, a)).isEmpty();
        assertThat(PromptDiff.unified("x", "a\r\nb\n", "y", "a\nb")).isEmpty();
    }
}
