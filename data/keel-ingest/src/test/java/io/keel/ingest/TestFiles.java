package io.keel.ingest;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.SlideLayout;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFSlideLayout;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFStyle;
import org.apache.poi.xwpf.usermodel.XWPFStyles;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTString;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real office and PDF files, written with POI and PDFBox. */
public final class TestFiles {
    private TestFiles() {
    }

    /** A Word document: each entry is {@code "# text"} / {@code "## text"} for a heading, else a paragraph. */
    public static Path docx(Path file, String title, List<String> paragraphs) throws IOException {
        Files.createDirectories(file.getParent());
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(file)) {
            doc.getProperties().getCoreProperties().setTitle(title);
            XWPFStyles styles = doc.createStyles();
            headingStyle(styles, "Heading1", "heading 1");
            headingStyle(styles, "Heading2", "heading 2");
            for (String text : paragraphs) {
                var paragraph = doc.createParagraph();
                if (text.startsWith("## ")) {
                    paragraph.setStyle("Heading2");
                    text = text.substring(3);
                } else if (text.startsWith("# ")) {
                    paragraph.setStyle("Heading1");
                    text = text.substring(2);
                }
                paragraph.createRun().setText(text);
            }
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("key");
            table.getRow(0).getCell(1).setText("value");
            table.getRow(1).getCell(0).setText("alpha");
            table.getRow(1).getCell(1).setText("1");
            doc.write(out);
        }
        return file;
    }

    private static void headingStyle(XWPFStyles styles, String id, String name) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId(id);
        style.setType(STStyleType.PARAGRAPH);
        CTString styleName = CTString.Factory.newInstance();
        styleName.setVal(name);
        style.setName(styleName);
        styles.addStyle(new XWPFStyle(style));
    }

    /** A slide deck with one title-and-content slide per pair of {@code (title, body)}. */
    public static Path pptx(Path file, List<String[]> slides) throws IOException {
        Files.createDirectories(file.getParent());
        try (XMLSlideShow deck = new XMLSlideShow(); OutputStream out = Files.newOutputStream(file)) {
            XSLFSlideLayout layout = deck.getSlideMasters().getFirst().getLayout(SlideLayout.TITLE_AND_CONTENT);
            for (String[] content : slides) {
                XSLFSlide slide = deck.createSlide(layout);
                slide.getPlaceholder(0).setText(content[0]);
                slide.getPlaceholder(1).setText(content[1]);
            }
            deck.write(out);
        }
        return file;
    }

    /** A PDF with one page per entry; each page's lines are drawn top to bottom. */
    public static Path pdf(Path file, String title, List<List<String>> pages) throws IOException {
        Files.createDirectories(file.getParent());
        try (PDDocument pdf = new PDDocument()) {
            pdf.getDocumentInformation().setTitle(title);
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (List<String> lines : pages) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 12);
                    content.newLineAtOffset(72, 700);
                    for (String line : lines) {
                        content.showText(line);
                        content.newLineAtOffset(0, -16);
                    }
                    content.endText();
                }
            }
            pdf.save(file.toFile());
        }
        return file;
    }

    /** Bytes that start like a PDF and are not one. */
    public static Path corruptPdf(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nthis is not a pdf\n%%EOF");
    }
}
