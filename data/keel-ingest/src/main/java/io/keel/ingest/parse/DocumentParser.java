package io.keel.ingest.parse;

import java.io.IOException;
import java.util.Set;

/**
 * Reads one file format into {@link io.keel.core.document.Document}s whose blocks follow the reading order.
 * Implementations are stateless and thread-safe; {@link ParserRegistry} chooses one by file extension.
 */
public interface DocumentParser {
    /** Lower-case file extensions without the dot, e.g. {@code md}. */
    Set<String> extensions();

    /**
     * Parses {@code file} and hands each document to {@code sink}. A malformed record inside a multi-record file goes
     * to {@link DocumentSink#rejected}; a file that cannot be read at all throws, and its documents already handed to
     * the sink stay valid.
     *
     * @throws IOException when the file cannot be read or is not in this format
     */
    void parse(SourceFile file, DocumentSink sink) throws IOException;
}
