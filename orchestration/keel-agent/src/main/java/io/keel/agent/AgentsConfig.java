package io.keel.agent;

import io.keel.agent.mcp.McpServerConfig;
import io.keel.core.config.ConfigNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code agents:} section of keel.yaml.
 *
 * @param dir           the folder of agent files (default {@code agents})
 * @param keepRuns      runs kept in the store; older ones are deleted as new ones start
 * @param maxStateChars characters of conversation one run may accumulate (its stored state's bound)
 * @param httpGet       the {@code http_get} tool's settings
 * @param mcpServers    MCP servers whose tools agents may use
 */
public record AgentsConfig(Path dir, int keepRuns, long maxStateChars, HttpGet httpGet, List<McpServerConfig> mcpServers) {
    public AgentsConfig {
        mcpServers = List.copyOf(mcpServers == null ? List.of() : mcpServers);
    }

    /**
     * {@code agents.http_get}.
     *
     * @param allowHosts        hosts the tool may fetch ({@code example.com}, {@code *.example.com}); none by default
     * @param allowPrivateHosts hosts allowed to resolve to internal addresses (tests, chosen internal services)
     */
    public record HttpGet(List<String> allowHosts, List<String> allowPrivateHosts, Duration timeout, int maxBytes) {
        public HttpGet {
            allowHosts = List.copyOf(allowHosts);
            allowPrivateHosts = List.copyOf(allowPrivateHosts);
        }
    }

    public static AgentsConfig from(ConfigNode n) {
        ConfigNode runs = n.child("runs");
        ConfigNode http = n.child("http_get");
        HttpGet httpGet = new HttpGet(http.strings("allow_hosts"), http.strings("allow_private_hosts"),
                http.duration("timeout", Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofMinutes(5)),
                http.integer("max_bytes", 512 * 1024, 1, 64 << 20));
        return new AgentsConfig(Path.of(n.string("dir", "agents")),
                runs.integer("keep", 10_000, 1, 10_000_000),
                runs.longValue("max_state_chars", 2_000_000, 1_000, 1_000_000_000),
                httpGet,
                n.child("mcp").list("servers", McpServerConfig::from));
    }

    public static AgentsConfig defaults() {
        return from(ConfigNode.detached("agents", java.util.Map.of()));
    }
}
