package io.keel.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Folders of small documents the tests ingest. */
public final class TestFiles {
    /** Four one-paragraph handbook pages (retention, travel, security, leave): file names and contents in pairs. */
    public static final String[] HANDBOOK = {
            "retention.md", "# Retention\n\nCustomer records are kept for seven years after the contract ends.\n",
            "travel.md", "# Travel\n\nEmployees book flights through the travel desk.\n",
            "security.md", "# Security\n\nLaptops use full-disk encryption.\n",
            "leave.md", "# Leave\n\nEmployees have twenty-five days of paid leave a year.\n"};

    private TestFiles() {
    }

    /**
     * Creates {@code parent/name} holding one file per pair of {@code namesAndContents} (file name, then its text).
     *
     * @return the folder
     */
    public static Path folder(Path parent, String name, String... namesAndContents) {
        if (namesAndContents.length % 2 != 0) throw new IllegalArgumentException("file names and contents come in pairs");
        try {
            Path dir = Files.createDirectories(parent.resolve(name));
            for (int i = 0; i < namesAndContents.length; i += 2) {
                Files.writeString(dir.resolve(namesAndContents[i]), namesAndContents[i + 1]);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
