package io.keel.prompts;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the file-format example in prompts/README.md loadable and its test green. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleIsAValidPromptWhoseTestPasses() throws Exception {
        String readme = Files.readString(BuiltinPromptsTest.REPO_PROMPTS.resolve("README.md"));
        int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        PromptFile p = PromptLoader.parse(yaml, "prompts/README.md");
        assertThat(p.id()).isEqualTo("support-triage");
        assertThat(p.tests().getFirst().assertions()).hasSize(5);
        TestReport r = PromptTester.recordedOnly().run(java.util.List.of(p));
        assertThat(r.ok()).as(r.render()).isTrue();
        assertThat(r.count(TestReport.Status.PASSED)).isEqualTo(1);
    }
}
