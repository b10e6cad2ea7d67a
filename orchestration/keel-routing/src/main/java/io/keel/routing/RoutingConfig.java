package io.keel.routing;

import io.keel.core.config.ConfigNode;
import io.keel.core.spi.Embedder;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code routing} section of keel.yaml.
 *
 * <pre>{@code
 * routing:
 *   file: routing.yaml            # the routing table; unset: no routing
 *   tables:                       # other tables an experiment variant may switch to (override routing.table)
 *     cheap-first: routing-cheap.yaml
 * }</pre>
 *
 * @param file   the default table's file, or null for no routing
 * @param tables further tables by name
 */
public record RoutingConfig(Path file, Map<String, Path> tables) {
    public static final RoutingConfig NONE = new RoutingConfig(null, Map.of());

    public RoutingConfig {
        tables = Map.copyOf(tables);
    }

    /** Reads {@code routing.file} and {@code routing.tables}; relative paths as written (the working directory). */
    public static RoutingConfig from(ConfigNode node) {
        String file = node.string("file", null);
        Map<String, Path> tables = new LinkedHashMap<>();
        node.properties("tables").forEach((name, path) -> tables.put(name, Path.of(path)));
        if (file == null && !tables.isEmpty()) throw node.error("file", "is required when routing.tables is set: the table requests use by default");
        return new RoutingConfig(file == null ? null : Path.of(file), tables);
    }

    public boolean enabled() {
        return file != null;
    }

    /** Loads (and trains) every table now; {@link Routing#NONE} when routing is off. */
    public Routing load(Embedder embedder) {
        if (!enabled()) return Routing.NONE;
        Map<String, RoutingTable> loaded = new LinkedHashMap<>();
        tables.forEach((name, path) -> loaded.put(name, RoutingFiles.load(path, embedder)));
        return new Routing(RoutingFiles.load(file, embedder), loaded);
    }
}
