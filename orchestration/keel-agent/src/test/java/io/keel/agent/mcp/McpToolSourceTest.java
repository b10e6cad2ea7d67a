package io.keel.agent.mcp;

import io.keel.agent.AgentDefinition;
import io.keel.agent.AgentLoader;
import io.keel.agent.AgentRuntime;
import io.keel.agent.RunListener;
import io.keel.agent.StopReason;
import io.keel.agent.run.AgentRun;
import io.keel.agent.run.RunStep;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolBox;
import io.keel.core.answer.Caller;
import io.keel.core.chat.ChatMessage;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McpToolSourceTest {
    static TestMcpServer server;
    static McpToolSource source;

    @BeforeAll
    static void start() throws Exception {
        server = TestMcpServer.http();
        source = McpToolSource.connect(McpServerConfig.http("cat", server.url(), Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (source != null) source.close();
        if (server != null) server.close();
    }

    @Test
    void listsTheServersToolsWithTheirSchemasUnderItsName() {
        assertThat(source.tools()).extracting(Tool::name).containsExactlyInAnyOrder("cat__lookup", "cat__poison", "cat__broken");
        Tool lookup = source.tools().stream().filter(t -> t.name().equals("cat__lookup")).findFirst().orElseThrow();
        assertThat(lookup.parameters().toString()).contains("key", "required");
        assertThat(lookup.description()).contains("catalogue");
    }

    @Test
    void anAgentCallsMcpToolsOverStreamableHttpAndWithholdsAnInjectedResult() {
        try (FakeOpenAiServer upstream = new FakeOpenAiServer();
             ModelGateway gateway = ModelGateway.fromConfig(List.of(upstream.modelEntry("m")), k -> null, ModelCallListener.NONE)) {
            upstream.enqueue(Reply.toolCall("a", "cat__lookup", "{\"key\":\"answer\"}"), Reply.toolCall("b", "cat__poison", "{}"),
                    Reply.toolCall("c", "cat__lookup", "{}"), Reply.toolCall("d", "cat__broken", "{}"), Reply.text("The answer is 42."));
            AgentRuntime rt = AgentRuntime.builder(gateway).tools(ToolBox.of(source.tools())).build();
            AgentDefinition a = AgentLoader.parse("name: mcp\nmodel: m\ntools: [cat__lookup, cat__poison, cat__broken]\n", "test");
            AgentRun run = rt.run(a, List.of(ChatMessage.user("What is the answer?")), Caller.ANONYMOUS, RunListener.NONE);

            assertThat(run.stopReason()).isEqualTo(StopReason.COMPLETED);
            List<RunStep> tools = run.events().stream().filter(e -> e.kind().equals("tool")).toList();
            assertThat(tools).hasSize(4);
            assertThat(tools.get(0).error()).isNull();
            assertThat(tools.get(1).flagged()).as("the injected page is flagged").isTrue();
            assertThat(tools.get(2).error()).as("missing 'key' is refused before the server sees it").contains("schema");
            assertThat(tools.get(3).error()).as("an isError result is an error").contains("the catalogue is down");
            assertThat(upstream.requests().get(1).body()).contains("value of answer is 42");
            assertThat(upstream.requests().getLast().body()).doesNotContain("evil.example");
        }
    }

    @Test
    void connectsToAStdioServerProcess() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        McpServerConfig config = McpServerConfig.stdio("local", java,
                List.of("-cp", System.getProperty("java.class.path"), TestMcpServer.class.getName()), Duration.ofSeconds(60));
        try (McpToolSource stdio = McpToolSource.connect(config)) {
            assertThat(stdio.tools()).extracting(Tool::name).contains("local__lookup");
            Tool lookup = stdio.tools().stream().filter(t -> t.name().equals("local__lookup")).findFirst().orElseThrow();
            try {
                String out = lookup.call(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"key\":\"k\"}"),
                        new io.keel.agent.tool.ToolContext(Caller.ANONYMOUS, "run_test"));
                assertThat(out).isEqualTo("value of k is 42");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void anUnreachableServerFailsWithItsName() {
        assertThatThrownBy(() -> McpToolSource.connect(McpServerConfig.http("gone", "http://127.0.0.1:1/mcp", Duration.ofSeconds(2))))
                .hasMessageContaining("MCP server 'gone'");
    }
}
