package io.keel.app;

import io.keel.core.error.KeelException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** Helpers for Keel data directories. */
public final class DataDirs {
    private static final Set<String> KEEL_ENTRIES = Set.of("collections", "requests.jsonl", "keel.db", "keel.db-wal", "keel.db-shm");

    private DataDirs() {
    }

    /**
     * Deletes a data directory so a run starts fresh. Refuses when it holds anything Keel did not write, so a
     * mistyped path never deletes someone's files.
     */
    public static void wipe(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> top = Files.list(dir)) {
            if (!top.allMatch(p -> KEEL_ENTRIES.contains(p.getFileName().toString()))) {
                throw KeelException.invalid(dir + " holds files that are not Keel data; choose another data directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }
}
