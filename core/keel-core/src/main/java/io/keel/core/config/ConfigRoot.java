package io.keel.core.config;

import io.keel.core.error.KeelException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Shared state of one loaded configuration (or of one detached section, such as a list item): the tree, the
 * environment, and every key read or section entered, so that keys nobody read can be reported.
 */
public final class ConfigRoot {
    final Map<String, String> env;
    final Set<String> read = new TreeSet<>();
    final Set<String> sections = new TreeSet<>();
    private final Map<String, Object> tree;
    private final String base;

    ConfigRoot(Map<String, Object> tree, Map<String, String> env, String base) {
        this.tree = tree;
        this.env = env;
        this.base = base;
    }

    /**
     * Keys present in the file that no component read, as full paths. A whole section nobody reads is reported
     * once, by its own path; inside a section that is read, each unread key is reported.
     */
    public List<String> unknownKeys() {
        List<String> out = new ArrayList<>();
        collect(base, tree, out);
        return out;
    }

    private void collect(String prefix, Map<String, Object> node, List<String> out) {
        for (var e : node.entrySet()) {
            String key = ConfigNode.join(prefix, String.valueOf(e.getKey()));
            if (read.contains(key) || e.getValue() == null && sections.contains(key)) continue;
            if (e.getValue() instanceof Map<?, ?> m && sections.contains(key)) {
                @SuppressWarnings("unchecked") Map<String, Object> child = (Map<String, Object>) m;
                collect(key, child, out);
            } else {
                out.add(key);
            }
        }
    }

    /** Every key read and every section entered so far, as full paths: the keys this configuration knows. */
    public Set<String> knownKeys() {
        Set<String> out = new TreeSet<>(read);
        out.addAll(sections);
        return java.util.Collections.unmodifiableSet(out);
    }

    /** The keys read, or sections entered, directly under {@code parent}. */
    private Set<String> knownAt(String parent) {
        Set<String> out = new TreeSet<>();
        String prefix = parent.isEmpty() ? "" : parent + ".";
        for (Set<String> set : List.of(read, sections)) {
            for (String k : set) {
                if (!k.startsWith(prefix) || k.length() == prefix.length()) continue;
                String rest = k.substring(prefix.length());
                if (!rest.contains(".") && !rest.contains("[")) out.add(rest);
            }
        }
        return out;
    }

    void check() {
        List<String> unknown = unknownKeys();
        if (unknown.isEmpty()) return;
        List<String> problems = new ArrayList<>();
        for (String key : unknown) problems.add(describeUnknown(key));
        throw KeelException.invalid((problems.size() == 1 ? "" : problems.size() + " problems: ")
                + String.join("; ", problems) + ". Every key is listed in docs/configuration.md");
    }

    private String describeUnknown(String key) {
        int dot = key.lastIndexOf('.');
        String parent = dot < 0 ? "" : key.substring(0, dot);
        String name = dot < 0 ? key : key.substring(dot + 1);
        Set<String> known = knownAt(parent);
        String hint = KeyHints.closest(name, known);
        StringBuilder s = new StringBuilder("unknown configuration key '").append(key).append("'");
        if (hint != null) s.append(" (did you mean '").append(hint).append("'?)");
        if (!known.isEmpty()) {
            s.append("; known keys ").append(parent.isEmpty() ? "at the top level" : "under '" + parent + "'")
                    .append(": ").append(String.join(", ", known));
        }
        return s.toString();
    }
}
