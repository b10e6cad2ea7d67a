package io.keel.core.spi;

import io.keel.core.error.KeelException;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds backend factories by name through {@link ServiceLoader}, with errors that list what is available. */
public final class Backends {
    private Backends() {
    }

    /**
     * The factory of {@code kind} named {@code name}.
     *
     * @param configKey the configuration key that named it, for the error message (e.g. {@code embedding.backend})
     * @throws KeelException (invalid request) naming the available backends when none has that name, or when two
     *                       modules on the class path claim it
     */
    public static <F extends BackendFactory> F find(Class<F> kind, String name, String configKey) {
        List<F> matches = new ArrayList<>();
        for (F f : ServiceLoader.load(kind, Backends.class.getClassLoader())) {
            if (f.name().equals(name)) matches.add(f);
        }
        if (matches.size() == 1) return matches.getFirst();
        if (matches.isEmpty()) {
            throw KeelException.invalid("configuration key '" + configKey + "' names '" + name + "', which is not an available "
                    + kindName(kind) + " backend; available: "
                    + names(kind) + " (a backend's module must be on the class path)");
        }
        throw new IllegalStateException("two " + kind.getSimpleName() + "s are named '" + name + "': "
                + matches.stream().map(f -> f.getClass().getName()).toList());
    }

    /** {@code ChatProviderFactory} as {@code chat provider}. */
    static String kindName(Class<?> kind) {
        return kind.getSimpleName().replace("Factory", "").replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(java.util.Locale.ROOT);
    }

    /** The names of every factory of {@code kind} on the class path, sorted. */
    public static <F extends BackendFactory> List<String> names(Class<F> kind) {
        TreeSet<String> names = new TreeSet<>();
        for (F f : ServiceLoader.load(kind, Backends.class.getClassLoader())) names.add(f.name());
        return List.copyOf(names);
    }
}
