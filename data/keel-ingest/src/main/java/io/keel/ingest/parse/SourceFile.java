package io.keel.ingest.parse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One file handed to a {@link DocumentParser}.
 *
 * @param path         where to read it
 * @param relativePath its path below the ingest root with {@code /} separators: the document id of single-document
 *                     formats and the source shown in citations
 * @param defaults     tenant, acl and metadata given by the caller
 */
public record SourceFile(Path path, String relativePath, DocumentDefaults defaults) {
    public SourceFile {
        Objects.requireNonNull(path, "path");
        if (relativePath == null || relativePath.isBlank()) throw new IllegalArgumentException("relativePath must not be blank");
        defaults = Objects.requireNonNullElse(defaults, DocumentDefaults.NONE);
    }

    /** A file addressed relative to {@code root}; the common case. */
    public static SourceFile of(Path root, Path file, DocumentDefaults defaults) {
        return new SourceFile(file, relativize(root, file), defaults);
    }

    /** {@code file} relative to {@code root} with {@code /} separators, or the file name when file is the root. */
    public static String relativize(Path root, Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path base = root.toAbsolutePath().normalize();
        Path rel = abs.startsWith(base) && !abs.equals(base) ? base.relativize(abs) : abs.getFileName();
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    public String fileName() {
        return path.getFileName().toString();
    }

    /** Lower-case extension without the dot; empty when there is none. */
    public String extension() {
        return extensionOf(fileName());
    }

    /** The file name without its extension: the title of documents whose format has none. */
    public String baseName() {
        String name = fileName();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    public Instant modified() throws IOException {
        return Files.getLastModifiedTime(path).toInstant();
    }

    static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
