package io.keel.agent;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentLoaderTest {
    private static final String BASE = """
            name: support
            version: 1.2.0
            description: answers support questions
            model: gpt
            prompt: support-system
            tools: [search_documents, calculator]
            limits: {max_steps: 6, max_identical_calls: 2, max_tokens: 5000, max_cost_usd: 0.02, wall_time: 45s, tool_timeout: 5s}
            """;

    @Test
    void readsEveryFieldAndVersionsTheContentLikePrompts() {
        AgentDefinition a = AgentLoader.parse(BASE, "support.yaml");
        assertThat(a.name()).isEqualTo("support");
        assertThat(a.model()).isEqualTo("gpt");
        assertThat(a.promptId()).isEqualTo("support-system");
        assertThat(a.tools()).containsExactly("search_documents", "calculator");
        assertThat(a.limits()).isEqualTo(new AgentLimits(6, 2, 5000, 0.02, Duration.ofSeconds(45), Duration.ofSeconds(5), 16_000));
        assertThat(a.version().toString()).matches("support@1\\.2\\.0\\+[0-9a-f]{12}");
    }

    @Test
    void theVersionChangesWithWhatRunsAndNotWithTheDescription() {
        AgentDefinition a = AgentLoader.parse(BASE, "a");
        assertThat(AgentLoader.parse(BASE.replace("answers support questions", "other words"), "b").version())
                .as("the description is not part of the version").isEqualTo(a.version());
        assertThat(AgentLoader.parse(BASE.replace("max_steps: 6", "max_steps: 7"), "c").version().hash())
                .as("a limit is").isNotEqualTo(a.version().hash());
        assertThat(AgentLoader.parse(BASE.replace("[search_documents, calculator]", "[calculator]"), "d").version().hash())
                .as("the tools are").isNotEqualTo(a.version().hash());
    }

    @Test
    void strictAboutKeysAndValues() {
        assertThatThrownBy(() -> AgentLoader.parse(BASE + "temprature: 0.2\n", "x.yaml"))
                .isInstanceOf(KeelException.class).hasMessageContaining("x.yaml").hasMessageContaining("temprature");
        assertThatThrownBy(() -> AgentLoader.parse(BASE.replace("max_steps: 6", "max_steps: 0"), "x.yaml"))
                .hasMessageContaining("max_steps");
        assertThatThrownBy(() -> AgentLoader.parse("name: a\n", "x.yaml")).hasMessageContaining("model");
        assertThatThrownBy(() -> AgentLoader.parse("name: Bad Name\nmodel: m\n", "x.yaml")).hasMessageContaining("name");
        assertThatThrownBy(() -> AgentLoader.parse("name: a\nmodel: m\ntools: [calculator, calculator]\n", "x.yaml")).hasMessageContaining("twice");
        assertThatThrownBy(() -> AgentLoader.parse("- a\n", "x.yaml")).hasMessageContaining("mapping");
    }

    @Test
    void aFolderLoadsEveryFileAndRefusesDuplicateNames(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "name: a\nmodel: m\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.yml"), "name: b\nmodel: m\n");
        assertThat(AgentFolder.load(dir).agents()).extracting(AgentDefinition::name).containsExactly("a", "b");
        assertThat(AgentFolder.load(dir.resolve("missing")).agents()).as("no folder, no agents").isEmpty();
        Files.writeString(dir.resolve("c.yaml"), "name: a\nmodel: other\n");
        assertThatThrownBy(() -> AgentFolder.load(dir)).hasMessageContaining("already used");
    }

    @Test
    void theExampleInDocsAgentsMdLoads() throws Exception {
        String doc = Files.readString(Path.of(System.getProperty("keel.home", "../..")).resolve("docs/agents.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        AgentDefinition a = AgentLoader.parse(doc.substring(start, doc.indexOf("```", start)), "docs/agents.md");
        assertThat(a.name()).isEqualTo("support");
        assertThat(a.tools()).contains("docs__lookup");
        assertThat(a.limits().maxSteps()).isEqualTo(8);
    }
}
