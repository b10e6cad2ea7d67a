package io.keel.prompts;

import io.keel.core.chat.ChatMessage;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltinPromptsTest {
    /** The repository's prompts/ folder; tests run with the module folder as working directory. */
    static final Path REPO_PROMPTS = Path.of(System.getProperty("keel.home", "../.."), "prompts");

    @Test
    void everyBuiltinIsIdenticalToTheFileInThePromptsFolder() throws Exception {
        for (String id : BuiltinPrompts.IDS) {
            assertThat(BuiltinPrompts.text(id))
                    .as("orchestration/keel-prompts/src/main/resources/io/keel/prompts/builtin/%s.yaml must be a copy of prompts/%s.yaml", id, id)
                    .isEqualTo(Files.readString(REPO_PROMPTS.resolve(id + ".yaml")));
        }
    }

    @Test
    void ragAnswerRendersTheGroundedAnswerPrompt() {
        PromptFile p = BuiltinPrompts.ragAnswer();
        assertThat(p.id()).isEqualTo(BuiltinPrompts.RAG_ANSWER);
        assertThat(p.variables()).containsExactly("context", "question");
        assertThat(p.render(Map.of("context", "[1] a — a.md\nA is B.", "question", "What is A?"))).containsExactly(
                ChatMessage.system("""
                        You answer questions using only the numbered context passages supplied with each question.
                        Cite every statement with the number of the passage that supports it, in square brackets, e.g. [1] or [2][3].
                        If the passages do not contain the answer, say that you do not know; never invent facts or citations.
                        Answer in the language of the question. Be concise."""),
                ChatMessage.user("""
                        Context passages:

                        [1] a — a.md
                        A is B.

                        Question: What is A?"""));
        assertThat(p.model()).isEqualTo(ModelParams.NONE);
        assertThat(BuiltinPrompts.ragAnswer()).isSameAs(p);
    }

    @Test
    void theShippedPromptsFolderLoadsAndItsTestsPass() {
        PromptFolder folder = PromptFolder.load(REPO_PROMPTS);
        assertThat(folder.get("rag-answer").version()).isEqualTo(BuiltinPrompts.ragAnswer().version());
        TestReport report = PromptTester.recordedOnly().run(folder);
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(report.ok()).as(report.render()).isTrue();
        assertThat(report.count(TestReport.Status.SKIPPED)).isZero();
    }

    @Test
    void folderPromptsOverrideBuiltins(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(PromptFolder.orBuiltin(dir.resolve("missing"), "rag-answer")).isSameAs(BuiltinPrompts.ragAnswer());
        Files.writeString(dir.resolve("mine.yaml"), "id: rag-answer\ntemplate: '{{question}} {{context}}'\n");
        assertThat(PromptFolder.orBuiltin(dir, "rag-answer").origin()).endsWith("mine.yaml");
        assertThatThrownBy(() -> BuiltinPrompts.get("nope")).hasMessageContaining("built-in prompts: rag-answer");
    }

    @Test
    void duplicateIdsInAFolderAreAnError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "id: x\ntemplate: hi\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.yml"), "id: x\ntemplate: ho\n");
        assertThatThrownBy(() -> PromptFolder.load(dir)).hasMessageContaining("prompt id 'x' is already used by").hasMessageContaining("a.yaml");
        assertThatThrownBy(() -> PromptFolder.load(dir.resolve("none"))).hasMessageContaining("does not exist");
    }
}
