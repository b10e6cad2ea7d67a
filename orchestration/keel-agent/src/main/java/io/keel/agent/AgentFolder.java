package io.keel.agent;

import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The agent files of an {@code agents/} folder ({@code *.yaml}, {@code *.yml}, searched recursively), by name. Names
 * are unique across the folder. Immutable once loaded; an absent folder is an empty one.
 */
public final class AgentFolder {
    private final Map<String, AgentDefinition> agents;

    private AgentFolder(Map<String, AgentDefinition> agents) {
        this.agents = Collections.unmodifiableMap(agents);
    }

    public static AgentFolder of(List<AgentDefinition> definitions) {
        Map<String, AgentDefinition> m = new LinkedHashMap<>();
        for (AgentDefinition d : definitions) {
            if (m.putIfAbsent(d.name(), d) != null) throw KeelException.invalid("agent '" + d.name() + "' is defined twice");
        }
        return new AgentFolder(m);
    }

    /** Loads every agent file under {@code dir}; a missing folder has no agents. */
    public static AgentFolder load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) return new AgentFolder(Map.of());
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list agents folder " + dir + ": " + e.getMessage(), e);
        }
        Map<String, AgentDefinition> byName = new LinkedHashMap<>();
        for (Path f : files) {
            AgentDefinition a = AgentLoader.load(f);
            AgentDefinition before = byName.putIfAbsent(a.name(), a);
            if (before != null) throw KeelException.invalid(f + ": agent name '" + a.name() + "' is already used by " + before.origin());
        }
        return new AgentFolder(byName);
    }

    public Collection<AgentDefinition> agents() {
        return agents.values();
    }

    public Optional<AgentDefinition> find(String name) {
        return Optional.ofNullable(agents.get(name));
    }
}
