package io.keel.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.keel.core.config.ConfigNode;
import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads and validates agent files. Strict at load time, like prompt files: an unknown key, a bad limit or a tool name
 * that cannot be one fails with the file and the key path, so an agent that loads does not fail later for a reason
 * visible in its file.
 *
 * <pre>{@code
 * name: support
 * version: 1.0.0
 * model: gpt-4o-mini
 * prompt: support-agent        # a prompt id from the prompts folder
 * tools: [search_documents, calculator, docs.lookup]
 * limits: {max_steps: 8, max_identical_calls: 2, max_tokens: 20000, max_cost_usd: 0.05, wall_time: 60s}
 * }</pre>
 */
public final class AgentLoader {
    /** Agent names: lower-case letters, digits, dots, dashes, underscores. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    private static final Pattern TOOL = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private AgentLoader() {
    }

    public static AgentDefinition load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses agent file text.
     *
     * @throws KeelException (invalid request) naming the origin and the key on any problem
     */
    public static AgentDefinition parse(String text, String origin) {
        Object tree;
        try {
            tree = YAML.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid(origin + ": not valid YAML: " + e.getOriginalMessage());
        }
        if (!(tree instanceof Map<?, ?>)) throw KeelException.invalid(origin + ": an agent file is a YAML mapping with at least 'name' and 'model'");
        try {
            ConfigNode n = ConfigNode.detached("", tree);
            String name = n.requiredString("name", "the agent's name, e.g. support");
            if (!NAME.matcher(name).matches()) throw n.error("name", "'" + name + "' must match " + NAME.pattern());
            String semver = n.string("version", null);
            String description = n.string("description", null);
            String model = n.requiredString("model", "a configured model name (models[].name)");
            String prompt = n.string("prompt", null);
            List<String> tools = n.strings("tools");
            for (String t : tools) {
                if (!TOOL.matcher(t).matches()) throw n.error("tools", "'" + t + "' is not a tool name");
            }
            if (tools.stream().distinct().count() != tools.size()) throw n.error("tools", "lists a tool twice");
            int maxTokens = n.integer("max_tokens_per_call", 0, 0, 1_000_000);
            double temperature = n.decimal("temperature", -1, -1, 2);
            AgentLimits limits = AgentLimits.from(n.child("limits"));
            n.rejectUnknownKeys();
            Map<String, Object> canonical = new TreeMap<>();
            canonical.put("model", model);
            if (prompt != null) canonical.put("prompt", prompt);
            canonical.put("tools", tools);
            if (maxTokens > 0) canonical.put("max_tokens_per_call", maxTokens);
            if (temperature >= 0) canonical.put("temperature", temperature);
            canonical.put("limits", limitsMap(limits));
            AgentVersion version = AgentVersion.of(name, CANONICAL.writeValueAsString(canonical), semver);
            return new AgentDefinition(name, description, model, prompt, tools, maxTokens > 0 ? maxTokens : null,
                    temperature >= 0 ? temperature : null, limits, version, origin);
        } catch (KeelException e) {
            throw KeelException.invalid(origin + ": " + e.getMessage());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> limitsMap(AgentLimits l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_steps", l.maxSteps());
        m.put("max_identical_calls", l.maxIdenticalCalls());
        m.put("max_tokens", l.maxTokens());
        m.put("max_cost_usd", l.maxCostUsd());
        m.put("wall_time_ms", l.wallTime().toMillis());
        m.put("tool_timeout_ms", l.toolTimeout().toMillis());
        m.put("max_tool_output_chars", l.maxToolOutputChars());
        return m;
    }
}
