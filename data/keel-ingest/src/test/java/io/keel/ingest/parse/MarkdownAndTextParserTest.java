package io.keel.ingest.parse;

import io.keel.core.document.Block;
import io.keel.core.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.keel.core.document.Block.Kind.CODE;
import static io.keel.core.document.Block.Kind.HEADING;
import static io.keel.core.document.Block.Kind.LIST_ITEM;
import static io.keel.core.document.Block.Kind.PARAGRAPH;
import static io.keel.core.document.Block.Kind.TABLE;
import static org.assertj.core.api.Assertions.assertThat;

class MarkdownAndTextParserTest {
    @TempDir
    Path root;

    @Test
    void markdownBecomesBlocksInReadingOrder() throws Exception {
        Path file = write("docs/guide/install.md", """
                # Installing Keel

                Keel runs on **Java 21** or newer.
                It needs no [server](https://example.com).

                ## Requirements

                - A JDK
                - Two gigabytes of memory
                  - four for large corpora
                1. Download
                2. Unpack

                ```bash
                keel ingest docs/
                keel serve
                ```

                | key | default |
                |-----|---------|
                | ingest.batchSize | 64 |

                > Quoted advice.
                """);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
        DocumentDefaults defaults = new DocumentDefaults("acme", List.of("group:eng"), Map.of("team", "search"));

        Document doc = single(new MarkdownParser(), SourceFile.of(root, file, defaults));

        assertThat(doc.blocks()).containsExactly(
                new Block(HEADING, 1, "Installing Keel"),
                new Block(PARAGRAPH, 0, "Keel runs on Java 21 or newer. It needs no server."),
                new Block(HEADING, 2, "Requirements"),
                new Block(LIST_ITEM, 1, "A JDK"),
                new Block(LIST_ITEM, 1, "Two gigabytes of memory"),
                new Block(LIST_ITEM, 2, "four for large corpora"),
                new Block(LIST_ITEM, 1, "Download"),
                new Block(LIST_ITEM, 1, "Unpack"),
                new Block(CODE, 0, "keel ingest docs/\nkeel serve"),
                new Block(TABLE, 0, "key | default\ningest.batchSize | 64"),
                new Block(PARAGRAPH, 0, "Quoted advice."));
        assertThat(doc.id()).isEqualTo("docs/guide/install.md");
        assertThat(doc.source()).isEqualTo("docs/guide/install.md");
        assertThat(doc.title()).isEqualTo("Installing Keel");
        assertThat(doc.mediaType()).isEqualTo("text/markdown");
        assertThat(doc.contentHash()).isEqualTo(ContentHash.sha256(Files.readAllBytes(file))).hasSize(64);
        assertThat(doc.modified()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(doc.tenant()).isEqualTo("acme");
        assertThat(doc.acl()).containsExactly("group:eng");
        assertThat(doc.metadata()).containsEntry("team", "search");
    }

    @Test
    void markdownTitleComesFromFrontMatterElseTheFileName() throws Exception {
        Path withFrontMatter = write("a.md", "---\ntitle: \"Release notes\"\nauthor: x\n---\n## First\nText.\n");
        Document a = single(new MarkdownParser(), SourceFile.of(root, withFrontMatter, null));
        assertThat(a.title()).isEqualTo("Release notes");
        assertThat(a.blocks()).containsExactly(Block.heading(2, "First"), Block.paragraph("Text."));

        Path plain = write("notes-2026.md", "Just a paragraph.\n");
        Document b = single(new MarkdownParser(), SourceFile.of(root, plain, null));
        assertThat(b.title()).isEqualTo("notes-2026");
        assertThat(b.tenant()).isEqualTo(Document.DEFAULT_TENANT);
        assertThat(b.acl()).isEmpty();
    }

    @Test
    void plainTextParagraphsAreSeparatedByBlankLines() throws Exception {
        Path file = write("readme.txt", "First paragraph,\nwrapped over lines.\r\n\r\n  \nSecond one.\n\n\nThird.");
        Document doc = single(new PlainTextParser(), SourceFile.of(root, file, null));
        assertThat(doc.blocks()).extracting(Block::text)
                .containsExactly("First paragraph, wrapped over lines.", "Second one.", "Third.");
        assertThat(doc.blocks()).extracting(Block::kind).containsOnly(PARAGRAPH);
        assertThat(doc.title()).isEqualTo("readme");
        assertThat(doc.mediaType()).isEqualTo("text/plain");
    }

    @Test
    void textThatIsNotUtf8IsReadAsWindows1252() throws Exception {
        Path file = root.resolve("legacy.txt");
        Files.write(file, "Caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(single(new PlainTextParser(), SourceFile.of(root, file, null)).text()).isEqualTo("Caf\u00e9 cr\u00e8me");
    }

    @Test
    void anUnwantedDocumentIsNotParsed() throws Exception {
        Path file = write("skip.md", "# Skip me\n");
        String hash = ContentHash.sha256(Files.readAllBytes(file));
        Collected sink = new Collected() {
            @Override
            public boolean wants(String documentId, String contentHash) {
                assertThat(documentId).isEqualTo("skip.md");
                assertThat(contentHash).isEqualTo(hash);
                return false;
            }
        };
        new MarkdownParser().parse(SourceFile.of(root, file, null), sink);
        assertThat(sink.documents).isEmpty();
    }

    @Test
    void contentWithoutAFileParsesTheSameAsTheFile() throws Exception {
        String markdown = "# Upload\n\nSent over HTTP.\n";
        Path file = write("upload.md", markdown);
        Document fromFile = single(new MarkdownParser(), SourceFile.of(root, file, null));
        Instant now = Instant.parse("2026-03-04T05:06:07Z");

        Document fromBytes = new MarkdownParser().parse(markdown.getBytes(StandardCharsets.UTF_8), "upload.md",
                "uploads/42", now, new DocumentDefaults("acme", null, null));

        assertThat(fromBytes.blocks()).isEqualTo(fromFile.blocks());
        assertThat(fromBytes.title()).isEqualTo("Upload");
        assertThat(fromBytes.contentHash()).isEqualTo(fromFile.contentHash());
        assertThat(fromBytes.id()).isEqualTo("uploads/42");
        assertThat(fromBytes.source()).isEqualTo("uploads/42");
        assertThat(fromBytes.modified()).isEqualTo(now);
        assertThat(fromBytes.tenant()).isEqualTo("acme");
        assertThat(new PlainTextParser().parse("No title.".getBytes(StandardCharsets.UTF_8), "note.txt", "n", now, null).title())
                .isEqualTo("note");
    }

    @Test
    void registryChoosesByExtensionAndKnowsNothingElse() {
        ParserRegistry registry = ParserRegistry.defaults();
        assertThat(registry.forFile(Path.of("a/B.MD"))).containsInstanceOf(MarkdownParser.class);
        assertThat(registry.forFile(Path.of("x.txt"))).containsInstanceOf(PlainTextParser.class);
        assertThat(registry.forFile(Path.of("corpus.jsonl"))).containsInstanceOf(JsonlParser.class);
        for (String ext : List.of("html", "htm", "pdf", "docx", "pptx")) {
            assertThat(registry.forExtension(ext)).containsInstanceOf(TikaDocumentParser.class);
        }
        assertThat(registry.forFile(Path.of("image.png"))).isEmpty();
        assertThat(registry.forFile(Path.of("Makefile"))).isEmpty();
        DocumentParser override = new DocumentParser() {
            @Override
            public java.util.Set<String> extensions() {
                return java.util.Set.of("md", "rst");
            }

            @Override
            public void parse(SourceFile file, DocumentSink sink) {
            }
        };
        ParserRegistry extended = registry.with(override);
        assertThat(extended.forExtension("md")).containsSame(override);
        assertThat(extended.forExtension("rst")).containsSame(override);
        assertThat(extended.forExtension("txt")).containsInstanceOf(PlainTextParser.class);
        assertThat(registry.forExtension("md")).containsInstanceOf(MarkdownParser.class);
    }

    private Path write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    static Document single(DocumentParser parser, SourceFile file) throws Exception {
        Collected sink = Collected.parse(parser, file);
        assertThat(sink.rejected).isEmpty();
        assertThat(sink.documents).hasSize(1);
        return sink.documents.getFirst();
    }
}
