package io.keel.prompts;

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
 * The prompt files of a {@code prompts/} folder (searched recursively for {@code *.yaml} and {@code *.yml}), by id.
 * Ids are unique across the folder, so a prompt is named the same way in code, in the store and in CI reports.
 * Immutable once loaded.
 */
public final class PromptFolder {
    private final Path dir;
    private final Map<String, PromptFile> prompts;

    private PromptFolder(Path dir, Map<String, PromptFile> prompts) {
        this.dir = dir;
        this.prompts = Collections.unmodifiableMap(prompts);
    }

    /**
     * Loads every prompt file under {@code dir}.
     *
     * @throws KeelException (invalid request) when the folder is missing, a file is invalid or two files share an id
     */
    public static PromptFolder load(Path dir) {
        if (!Files.isDirectory(dir)) throw KeelException.invalid("prompts folder " + dir + " does not exist; pass --dir DIR");
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(PromptFolder::isPromptFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list prompts folder " + dir + ": " + e.getMessage(), e);
        }
        Map<String, PromptFile> byId = new LinkedHashMap<>();
        for (Path f : files) {
            PromptFile p = PromptLoader.load(f);
            PromptFile before = byId.putIfAbsent(p.id(), p);
            if (before != null) {
                throw KeelException.invalid(f + ": prompt id '" + p.id() + "' is already used by " + before.origin());
            }
        }
        return new PromptFolder(dir, byId);
    }

    /** The prompt {@code id} from {@code dir} when the folder has it, else the one shipped with Keel. */
    public static PromptFile orBuiltin(Path dir, String id) {
        if (dir != null && Files.isDirectory(dir)) {
            Optional<PromptFile> p = load(dir).find(id);
            if (p.isPresent()) return p.get();
        }
        return BuiltinPrompts.get(id);
    }

    public Path dir() {
        return dir;
    }

    /** All prompts, in file-name order. */
    public Collection<PromptFile> prompts() {
        return prompts.values();
    }

    public Optional<PromptFile> find(String id) {
        return Optional.ofNullable(prompts.get(id));
    }

    /** @throws KeelException (not found) listing the ids the folder has */
    public PromptFile get(String id) {
        PromptFile p = prompts.get(id);
        if (p == null) {
            throw KeelException.notFound("no prompt '" + id + "' in " + dir + "; it has " + (prompts.isEmpty() ? "none" : String.join(", ", prompts.keySet())));
        }
        return p;
    }

    private static boolean isPromptFile(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }
}
