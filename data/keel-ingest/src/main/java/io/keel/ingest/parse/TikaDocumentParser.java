package io.keel.ingest.parse;

import org.apache.tika.exception.TikaException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.SAXException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * HTML, PDF, Word (.docx) and PowerPoint (.pptx) through Apache Tika. Tika's XHTML events are mapped to blocks by
 * element ({@code h1}-{@code h6}, {@code p}, {@code li}, {@code pre}, {@code table}); PDFs yield paragraphs.
 * Embedded documents (attachments, images) are not followed. The title is the format's own (HTML
 * {@code <title>}, Office and PDF document properties), else the file name.
 */
public final class TikaDocumentParser extends SingleDocumentParser {
    public static final Set<String> DEFAULT_EXTENSIONS = Set.of("html", "htm", "xhtml", "pdf", "docx", "pptx");

    private final AutoDetectParser tika;
    private final Set<String> extensions;

    /** Handles {@link #DEFAULT_EXTENSIONS}. */
    public TikaDocumentParser() {
        this(DEFAULT_EXTENSIONS);
    }

    /** Handles the given extensions; Tika detects the actual format from the bytes and the file name. */
    public TikaDocumentParser(Set<String> extensions) {
        this.extensions = Set.copyOf(extensions);
        this.tika = new AutoDetectParser();
    }

    @Override
    public Set<String> extensions() {
        return extensions;
    }

    @Override
    protected Content read(byte[] bytes, SourceFile file) throws IOException {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, file.fileName());
        XhtmlBlockHandler handler = new XhtmlBlockHandler();
        try (InputStream in = new ByteArrayInputStream(bytes)) {
            tika.parse(in, handler, metadata, new ParseContext());
        } catch (TikaException | SAXException e) {
            throw new IOException("not a readable " + file.extension() + " file: " + rootMessage(e), e);
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        return new Content(title == null ? "" : Texts.normalize(title), mediaType(metadata), handler.blocks());
    }

    private static String mediaType(Metadata metadata) {
        String type = metadata.get(Metadata.CONTENT_TYPE);
        if (type == null) return null;
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
