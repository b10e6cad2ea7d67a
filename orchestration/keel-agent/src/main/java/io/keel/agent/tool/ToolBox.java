package io.keel.agent.tool;

import io.keel.core.error.KeelException;
import io.keel.prompts.InputSchema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools an instance offers (built-ins and those of configured MCP servers), by name, each with its argument schema
 * compiled once. Immutable and thread-safe.
 */
public final class ToolBox {
    /** A tool and its compiled argument schema. */
    public record Entry(Tool tool, InputSchema schema) {
    }

    private final Map<String, Entry> tools;

    private ToolBox(Map<String, Entry> tools) {
        this.tools = tools;
    }

    /**
     * @throws KeelException when two tools share a name or a tool's parameters are not a valid JSON schema
     */
    public static ToolBox of(Collection<? extends Tool> tools) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Tool t : tools) {
            InputSchema schema;
            try {
                schema = InputSchema.of(t.parameters());
            } catch (IllegalArgumentException e) {
                throw KeelException.invalid("tool '" + t.name() + "': parameters: " + e.getMessage());
            }
            if (m.putIfAbsent(t.name(), new Entry(t, schema)) != null) throw KeelException.invalid("tool '" + t.name() + "' is offered twice");
        }
        return new ToolBox(m);
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(tools.get(name));
    }

    public Collection<String> names() {
        return tools.keySet();
    }

    /**
     * The entries for {@code names}, in that order.
     *
     * @throws KeelException (invalid request) naming each unknown tool and the tools there are
     */
    public List<Entry> select(List<String> names, String forWhom) {
        List<Entry> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            Entry e = tools.get(n);
            if (e == null) unknown.add(n);
            else out.add(e);
        }
        if (!unknown.isEmpty()) {
            throw KeelException.invalid(forWhom + " names unknown tools " + unknown + "; available: " + tools.keySet());
        }
        return out;
    }

    /** The OpenAI-shaped tool definitions ({@code {"type":"function","function":{name, description, parameters}}}). */
    public static List<Map<String, Object>> definitions(List<Entry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", e.tool().name());
            f.put("description", e.tool().description());
            f.put("parameters", e.tool().parameters());
            out.add(Map.of("type", "function", "function", f));
        }
        return out;
    }
}
