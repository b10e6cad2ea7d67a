package io.keel.agent.mcp;

import io.keel.core.config.ConfigNode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One MCP server whose tools agents may use ({@code agents.mcp.servers[]}): started as a process speaking stdio, or
 * reached over streamable HTTP. Its tools are offered as {@code <name>__<tool>}.
 *
 * @param name      a short name, the prefix of its tools
 * @param transport {@code stdio} or {@code http}
 * @param command   for stdio, the program to start
 * @param args      for stdio, its arguments
 * @param env       for stdio, extra environment variables
 * @param url       for http, the MCP endpoint (e.g. {@code http://tools:8080/mcp})
 * @param timeout   for the connection, the handshake and each request
 */
public record McpServerConfig(String name, String transport, String command, List<String> args, Map<String, String> env,
                              String url, Duration timeout) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,31}");

    public McpServerConfig {
        args = List.copyOf(args == null ? List.of() : args);
        env = Map.copyOf(env == null ? Map.of() : env);
    }

    public static McpServerConfig from(ConfigNode n) {
        String name = n.requiredString("name", "a short name, e.g. docs");
        if (!NAME.matcher(name).matches()) throw n.error("name", "'" + name + "' must match " + NAME.pattern());
        String transport = n.choice("transport", "stdio", "stdio", "http");
        String command = null;
        String url = null;
        if (transport.equals("stdio")) command = n.requiredString("command", "the program that runs the server, e.g. npx");
        else url = n.httpUrl("url").toString();
        return new McpServerConfig(name, transport, command, n.strings("args"), n.properties("env"), url,
                n.duration("timeout", Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMinutes(10)));
    }

    public static McpServerConfig stdio(String name, String command, List<String> args, Duration timeout) {
        return new McpServerConfig(name, "stdio", command, args, Map.of(), null, timeout);
    }

    public static McpServerConfig http(String name, String url, Duration timeout) {
        return new McpServerConfig(name, "http", null, List.of(), Map.of(), url, timeout);
    }
}
