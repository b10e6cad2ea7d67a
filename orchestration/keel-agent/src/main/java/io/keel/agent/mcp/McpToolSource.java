package io.keel.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.agent.tool.Tool;
import io.keel.agent.tool.ToolContext;
import io.keel.agent.tool.ToolException;
import io.keel.core.error.KeelException;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tools of one MCP server, through the official MCP Java SDK's client: connects (starting the process for stdio),
 * initializes, lists the server's tools (all pages) and offers each as a {@link Tool} named {@code <server>__<tool>}
 * with the server's own input schema, which the runtime validates arguments against before calling. A tool result
 * marked {@code isError} becomes an error result. Closing it closes the session (and stops a stdio process).
 */
public final class McpToolSource implements AutoCloseable {
    /** Between the server name and the tool name; OpenAI's function names allow no dots. */
    public static final String SEPARATOR = "__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final McpServerConfig config;
    private final McpSyncClient client;
    private final List<Tool> tools;

    private McpToolSource(McpServerConfig config, McpSyncClient client, List<Tool> tools) {
        this.config = config;
        this.client = client;
        this.tools = List.copyOf(tools);
    }

    /**
     * Connects to the server and lists its tools.
     *
     * @throws KeelException (unavailable) naming the server when it cannot be reached or does not answer the handshake
     */
    public static McpToolSource connect(McpServerConfig config) {
        Objects.requireNonNull(config, "config");
        McpClientTransport transport = switch (config.transport()) {
            case "stdio" -> new StdioClientTransport(ServerParameters.builder(config.command()).args(config.args()).env(config.env()).build(),
                    McpJsonDefaults.getMapper());
            case "http" -> HttpClientStreamableHttpTransport.builder(config.url()).connectTimeout(config.timeout()).build();
            default -> throw KeelException.invalid("MCP server '" + config.name() + "': unknown transport '" + config.transport() + "'");
        };
        McpSyncClient client = McpClient.sync(transport).requestTimeout(config.timeout()).initializationTimeout(config.timeout())
                .clientInfo(McpSchema.Implementation.builder("keel", "0.1").build()).build();
        try {
            client.initialize();
            List<Tool> tools = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                McpSchema.ListToolsResult page = cursor == null ? client.listTools() : client.listTools(cursor);
                for (McpSchema.Tool t : page.tools()) tools.add(new McpTool(config.name(), t, client));
                cursor = page.nextCursor();
            } while (cursor != null && ++pages < 100);
            return new McpToolSource(config, client, tools);
        } catch (RuntimeException e) {
            client.close();
            throw KeelException.unavailable("MCP server '" + config.name() + "' (" + config.transport() + "): " + rootMessage(e));
        }
    }

    public String name() {
        return config.name();
    }

    /** The server's tools, as listed at connection time. */
    public List<Tool> tools() {
        return tools;
    }

    @Override
    public void close() {
        try {
            client.closeGracefully();
        } catch (RuntimeException e) {
            client.close();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** One tool of the server. */
    private static final class McpTool implements Tool {
        private final String name;
        private final McpSchema.Tool tool;
        private final McpSyncClient client;
        private final Map<String, Object> parameters;

        McpTool(String server, McpSchema.Tool tool, McpSyncClient client) {
            this.name = server + SEPARATOR + tool.name();
            this.tool = tool;
            this.client = client;
            Map<String, Object> schema = tool.inputSchema() == null ? Map.of("type", "object") : new LinkedHashMap<>(tool.inputSchema());
            this.parameters = schema;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return tool.description() == null ? tool.name() : tool.description();
        }

        @Override
        public Map<String, Object> parameters() {
            return parameters;
        }

        @Override
        public String call(JsonNode arguments, ToolContext context) throws ToolException {
            @SuppressWarnings("unchecked") Map<String, Object> args = JSON.convertValue(arguments, Map.class);
            McpSchema.CallToolResult r;
            try {
                r = client.callTool(McpSchema.CallToolRequest.builder(tool.name()).arguments(args).build());
            } catch (RuntimeException e) {
                throw new ToolException("MCP call failed: " + rootMessage(e));
            }
            StringBuilder sb = new StringBuilder();
            for (McpSchema.Content c : r.content() == null ? List.<McpSchema.Content>of() : r.content()) {
                if (c instanceof McpSchema.TextContent t) sb.append(t.text()).append('\n');
                else sb.append('[').append(c.getClass().getSimpleName()).append(" omitted]\n");
            }
            if (sb.isEmpty() && r.structuredContent() != null) sb.append(r.structuredContent());
            String text = sb.toString().strip();
            if (Boolean.TRUE.equals(r.isError())) throw new ToolException(text.isEmpty() ? "the MCP tool reported an error" : text);
            return text;
        }
    }
}
