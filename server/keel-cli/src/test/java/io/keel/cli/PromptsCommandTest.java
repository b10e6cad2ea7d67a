package io.keel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel prompts test} as CI runs it: the shipped prompts pass, a test that misses a variable fails the build. */
class PromptsCommandTest {
    @TempDir
    Path dir;

    @Test
    void theShippedPromptsPass() {
        CliRun r = run("prompts", "test", "--dir", Path.of(System.getProperty("keel.home", "../.."), "prompts").toString(), "--data", dir.resolve("data").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASSED").contains("0 failed");
    }

    @Test
    void aPromptTestWithAMissingVariableFailsWithExitCodeOne() throws Exception {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("greeting.yaml"), """
                id: greeting
                messages:
                  - role: user
                    content: "Greet {{name}} from {{city}}."
                tests:
                  - name: forgets-the-city
                    vars:
                      name: Ada
                    recorded_response: Hello Ada from London!
                    assert:
                      - contains: Ada
                """);
        CliRun r = run("prompts", "test", "--dir", prompts.toString(), "--data", dir.resolve("data").toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out() + r.err()).contains("forgets-the-city").contains("city");
    }
}
