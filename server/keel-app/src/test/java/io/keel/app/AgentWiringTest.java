package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.test.FakeOpenAiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening the agents checks what their files name against what the instance has. */
class AgentWiringTest {
    @TempDir
    Path dir;

    private Keel open(FakeOpenAiServer upstream, String agentFile) throws Exception {
        Path agents = Files.createDirectories(dir.resolve("agents"));
        Files.writeString(agents.resolve("a.yaml"), agentFile);
        return Keel.open(KeelConfig.fromTree(Map.of("data_dir", dir.resolve("data").toString(), "models", List.of(upstream.modelEntry("chat")),
                "agents", Map.of("dir", agents.toString())), Map.of()));
    }

    @Test
    void anAgentNamingAnUnknownModelToolOrPromptFailsWithItsFile() throws Exception {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer()) {
            try (Keel keel = open(upstream, "name: a\nmodel: gpt-9\n")) {
                assertThatThrownBy(keel::agents).isInstanceOf(KeelException.class).hasMessageContaining("a.yaml")
                        .hasMessageContaining("'gpt-9'").hasMessageContaining("chat");
            }
            try (Keel keel = open(upstream, "name: a\nmodel: chat\ntools: [calculator, teleport]\n")) {
                assertThatThrownBy(keel::agents).hasMessageContaining("teleport").hasMessageContaining("search_documents");
            }
            try (Keel keel = open(upstream, "name: a\nmodel: chat\nprompt: nowhere\n")) {
                assertThatThrownBy(keel::agents).hasMessageContaining("'nowhere'");
            }
            try (Keel keel = open(upstream, "name: a\nmodel: chat\ntools: [calculator, http_get, search_documents, get_document]\n")) {
                assertThat(keel.agents()).get().satisfies(a -> assertThat(a.names()).containsExactly("a"));
            }
        }
    }

    @Test
    void withoutAChatModelThereAreNoAgents() {
        try (Keel keel = Keel.open(KeelConfig.defaults().withDataDir(dir.resolve("data")))) {
            assertThat(keel.agents()).isEmpty();
        }
    }
}
