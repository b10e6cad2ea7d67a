package io.keel.stream;

import io.keel.core.document.Block;
import io.keel.core.document.Document;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.ingest.parse.DocumentDefaults;
import io.keel.ingest.parse.DocumentParser;
import io.keel.ingest.parse.DocumentSink;
import io.keel.ingest.parse.ParserRegistry;
import io.keel.ingest.parse.SourceFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns event content into blocks with the batch ingestion's own parsers, so a document reads the same whether it
 * arrived as a file or as an event: Markdown structure and front-matter title, plain-text paragraphs, HTML through
 * Tika. Thread-safe.
 */
final class ContentParser {
    /** Title and blocks of one content. */
    record Parsed(String title, List<Block> blocks) {
    }

    private static final Map<String, String> EXTENSIONS = Map.of(
            "text/markdown", "md", "text/plain", "txt", "text/html", "html");

    private final ParserRegistry parsers = ParserRegistry.defaults();

    /** @throws KeelException {@link ErrorCode#UNPROCESSABLE} when the content is not readable as its media type */
    Parsed parse(byte[] bytes, String mediaType) {
        String extension = EXTENSIONS.get(mediaType);
        DocumentParser parser = extension == null ? null : parsers.forExtension(extension).orElse(null);
        if (parser == null) throw new KeelException(ErrorCode.UNPROCESSABLE, "no parser for media type '" + mediaType + "'");
        Path file = null;
        try {
            // The parsers read files; a short-lived private file keeps them the single implementation of each format.
            file = Files.createTempFile("keel-event-", "." + extension);
            Files.write(file, bytes);
            Document[] out = new Document[1];
            parser.parse(new SourceFile(file, file.getFileName().toString(), DocumentDefaults.NONE), new DocumentSink() {
                @Override
                public void accept(Document document) {
                    out[0] = document;
                }
            });
            if (out[0] == null) throw new KeelException(ErrorCode.UNPROCESSABLE, "the " + mediaType + " content yielded no document");
            String title = out[0].title();
            // A format without a title of its own falls back to the file name, which here is meaningless.
            boolean ownTitle = !title.isBlank() && !file.getFileName().toString().startsWith(title);
            return new Parsed(ownTitle ? title : "", out[0].blocks());
        } catch (IOException e) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "the content is not readable as " + mediaType + ": " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless
                }
            }
        }
    }
}
