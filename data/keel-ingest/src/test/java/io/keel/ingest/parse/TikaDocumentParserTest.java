package io.keel.ingest.parse;

import io.keel.core.document.Block;
import io.keel.core.document.Document;
import io.keel.ingest.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.keel.core.document.Block.Kind.HEADING;
import static io.keel.core.document.Block.Kind.LIST_ITEM;
import static io.keel.core.document.Block.Kind.PARAGRAPH;
import static io.keel.core.document.Block.Kind.TABLE;
import static io.keel.ingest.parse.MarkdownAndTextParserTest.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TikaDocumentParserTest {
    private static final TikaDocumentParser TIKA = new TikaDocumentParser();

    @TempDir
    Path root;

    @Test
    void htmlHeadingsParagraphsListsAndTables() throws Exception {
        Path file = root.resolve("site/faq.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, """
                <!DOCTYPE html>
                <html><head><title>Keel FAQ</title><style>p { color: red }</style>
                <script>var hidden = "never indexed";</script></head>
                <body>
                  <h1>Questions</h1>
                  <p>Keel is a <b>framework</b> for
                     enterprise generative AI.</p>
                  <h2>Platforms</h2>
                  <ul><li>Linux</li><li>macOS<ul><li>Apple silicon</li></ul></li></ul>
                  <table><tr><th>Key</th><th>Default</th></tr><tr><td>batch</td><td><p>64</p></td></tr></table>
                  <div>Loose text in a div.</div>
                  <pre>keel  serve</pre>
                </body></html>
                """);
        Document doc = single(TIKA, SourceFile.of(root, file, null));

        assertThat(doc.title()).isEqualTo("Keel FAQ");
        assertThat(doc.mediaType()).isEqualTo("text/html");
        assertThat(doc.id()).isEqualTo("site/faq.html");
        assertThat(doc.blocks()).startsWith(
                new Block(HEADING, 1, "Questions"),
                new Block(PARAGRAPH, 0, "Keel is a framework for enterprise generative AI."),
                new Block(HEADING, 2, "Platforms"),
                new Block(LIST_ITEM, 1, "Linux"),
                new Block(LIST_ITEM, 1, "macOS"),
                new Block(LIST_ITEM, 2, "Apple silicon"),
                new Block(TABLE, 0, "Key | Default\nbatch | 64"),
                new Block(PARAGRAPH, 0, "Loose text in a div."));
        assertThat(doc.blocks().getLast().text()).isEqualTo("keel  serve");
        assertThat(doc.text()).doesNotContain("never indexed").doesNotContain("color");
    }

    @Test
    void wordHeadingStylesBecomeHeadings() throws Exception {
        Path file = TestFiles.docx(root.resolve("handbook.docx"), "Employee handbook", List.of(
                "# Leave", "Employees get twenty-five days of leave.", "## Carry-over", "Five days may be carried over."));
        Document doc = single(TIKA, SourceFile.of(root, file, null));

        assertThat(doc.title()).isEqualTo("Employee handbook");
        assertThat(doc.mediaType()).isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(doc.blocks()).containsExactly(
                Block.heading(1, "Leave"),
                Block.paragraph("Employees get twenty-five days of leave."),
                Block.heading(2, "Carry-over"),
                Block.paragraph("Five days may be carried over."),
                new Block(TABLE, 0, "key | value\nalpha | 1"));
    }

    @Test
    void slidesKeepTheirOrder() throws Exception {
        Path file = TestFiles.pptx(root.resolve("deck.pptx"), List.of(
                new String[]{"Roadmap", "Hybrid retrieval ships in March."},
                new String[]{"Risks", "Budget overruns on GPU time."}));
        Document doc = single(TIKA, SourceFile.of(root, file, null));

        assertThat(doc.mediaType()).isEqualTo("application/vnd.openxmlformats-officedocument.presentationml.presentation");
        assertThat(doc.title()).isEqualTo("deck");
        assertThat(doc.blocks()).extracting(Block::text)
                .containsExactly("Roadmap", "Hybrid retrieval ships in March.", "Risks", "Budget overruns on GPU time.");
    }

    @Test
    void pdfPagesBecomeParagraphs() throws Exception {
        Path file = TestFiles.pdf(root.resolve("papers/report.pdf"), "Quarterly report", List.of(
                List.of("Revenue grew by twelve percent.", "Costs stayed flat."),
                List.of("The outlook for next year is stable.")));
        Document doc = single(TIKA, SourceFile.of(root, file, null));

        assertThat(doc.title()).isEqualTo("Quarterly report");
        assertThat(doc.mediaType()).isEqualTo("application/pdf");
        assertThat(doc.blocks()).isNotEmpty().extracting(Block::kind).containsOnly(PARAGRAPH);
        assertThat(doc.blocks()).extracting(Block::text).containsSubsequence(
                "Revenue grew by twelve percent. Costs stayed flat.", "The outlook for next year is stable.");
    }

    @Test
    void aCorruptPdfFailsWithAReadableMessage() throws Exception {
        Path file = TestFiles.corruptPdf(root.resolve("broken.pdf"));
        assertThatThrownBy(() -> TIKA.parse(SourceFile.of(root, file, null), new Collected()))
                .isInstanceOf(IOException.class).hasMessageStartingWith("not a readable pdf file");
    }
}
