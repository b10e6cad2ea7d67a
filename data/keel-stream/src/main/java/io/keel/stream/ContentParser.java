package io.keel.stream;

import io.keel.core.document.Block;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.ingest.parse.DocumentParser;
import io.keel.ingest.parse.ParserRegistry;
import io.keel.ingest.parse.SingleDocumentParser;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Turns event content into blocks with the batch ingestion's own parsers, so a document reads the same whether it
 * arrived as a file or as an event: Markdown structure and front-matter title, plain-text paragraphs, HTML through
 * Tika. The content is parsed in memory, never written to disk. Thread-safe.
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
        if (!(parser instanceof SingleDocumentParser format)) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "no parser for media type '" + mediaType + "'");
        }
        try {
            SingleDocumentParser.Content content = format.content(bytes, "event." + extension);
            return new Parsed(content.title() == null ? "" : content.title().strip(), content.blocks());
        } catch (IOException e) {
            throw new KeelException(ErrorCode.UNPROCESSABLE, "the content is not readable as " + mediaType + ": " + e.getMessage(), e);
        }
    }
}
