package io.keel.ingest.parse;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a {@link DocumentParser} by file extension. Immutable and thread-safe; a parser added later wins over
 * an earlier one for the same extension.
 */
public final class ParserRegistry {
    private final Map<String, DocumentParser> byExtension;

    private ParserRegistry(Map<String, DocumentParser> byExtension) {
        this.byExtension = Map.copyOf(byExtension);
    }

    /** Markdown, plain text, JSONL, and HTML, PDF, DOCX and PPTX through Tika. */
    public static ParserRegistry defaults() {
        return of(List.of(new MarkdownParser(), new PlainTextParser(), new JsonlParser(), new TikaDocumentParser()));
    }

    public static ParserRegistry of(List<? extends DocumentParser> parsers) {
        Map<String, DocumentParser> map = new LinkedHashMap<>();
        for (DocumentParser parser : parsers) {
            for (String ext : parser.extensions()) map.put(ext.toLowerCase(Locale.ROOT), parser);
        }
        return new ParserRegistry(map);
    }

    /** This registry plus {@code parser}, which takes over its extensions. */
    public ParserRegistry with(DocumentParser parser) {
        Map<String, DocumentParser> map = new LinkedHashMap<>(byExtension);
        for (String ext : parser.extensions()) map.put(ext.toLowerCase(Locale.ROOT), parser);
        return new ParserRegistry(map);
    }

    public Optional<DocumentParser> forExtension(String extension) {
        return Optional.ofNullable(byExtension.get(extension.toLowerCase(Locale.ROOT)));
    }

    public Optional<DocumentParser> forFile(Path file) {
        return forExtension(SourceFile.extensionOf(file.getFileName().toString()));
    }

    public Set<String> extensions() {
        return byExtension.keySet();
    }
}
