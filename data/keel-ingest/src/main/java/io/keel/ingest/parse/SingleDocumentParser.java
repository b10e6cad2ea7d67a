package io.keel.ingest.parse;

import io.keel.core.document.Block;
import io.keel.core.document.Document;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Base for formats with one document per file: the id is the file's relative path and the hash covers the file's
 * bytes, so an unchanged file is skipped before it is parsed.
 */
public abstract class SingleDocumentParser implements DocumentParser {

    /** What a format yields for one file. {@code title} may be blank: the file's base name is used then. */
    public record Content(String title, String mediaType, List<Block> blocks) {
    }

    @Override
    public final void parse(SourceFile file, DocumentSink sink) throws IOException {
        byte[] bytes = Files.readAllBytes(file.path());
        String hash = ContentHash.sha256(bytes);
        if (!sink.wants(file.relativePath(), hash)) return;
        sink.accept(document(file, bytes, hash, file.modified()));
        sink.position(bytes.length);
    }

    /**
     * Parses content that does not live in a file (an upload, an event) exactly as a file named {@code fileName}
     * would be: same blocks, title and media type. {@code id} is the document's id and source; the hash covers
     * {@code bytes}.
     *
     * @throws IOException when the bytes are not in this format
     */
    public final Document parse(byte[] bytes, String fileName, String id, Instant modified, DocumentDefaults defaults)
            throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Path name = Path.of(Objects.requireNonNull(fileName, "fileName")).getFileName();
        return document(new SourceFile(name, id, defaults), bytes, ContentHash.sha256(bytes), modified);
    }

    /**
     * Reads content that has no file and no name of its own (an event's inline text) as a file named {@code fileName}
     * would be read, without the file-name fallback: the title is the format's own, blank when it has none.
     *
     * @throws IOException when the bytes are not in this format
     */
    public final Content content(byte[] bytes, String fileName) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        Path name = Path.of(Objects.requireNonNull(fileName, "fileName")).getFileName();
        return read(bytes, new SourceFile(name, name.toString(), DocumentDefaults.NONE));
    }

    private Document document(SourceFile file, byte[] bytes, String hash, Instant modified) throws IOException {
        Content content = read(bytes, file);
        String title = content.title() == null || content.title().isBlank() ? file.baseName() : content.title().strip();
        DocumentDefaults defaults = file.defaults();
        return new Document(file.relativePath(), title, file.relativePath(), hash, modified, content.mediaType(),
                defaults.metadata(), defaults.tenant(), defaults.acl(), content.blocks());
    }

    /** Turns the file's bytes into blocks. */
    protected abstract Content read(byte[] bytes, SourceFile file) throws IOException;
}
