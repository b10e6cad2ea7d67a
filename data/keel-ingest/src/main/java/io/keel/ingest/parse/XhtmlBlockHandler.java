package io.keel.ingest.parse;

import io.keel.core.document.Block;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns Tika's XHTML SAX events into blocks: {@code h1}-{@code h6} become headings, {@code p} paragraphs,
 * {@code li} list items (level = list nesting depth), {@code pre} code and {@code table} one table block with a
 * line per row and {@code |} between cells. Text outside those elements becomes a paragraph at the next block
 * boundary; {@code head}, {@code script} and {@code style} are dropped.
 */
final class XhtmlBlockHandler extends DefaultHandler {
    private static final Set<String> SKIPPED = Set.of("head", "title", "script", "style", "noscript", "template");
    private static final Set<String> BOUNDARIES = Set.of("body", "div", "section", "article", "main", "header",
            "footer", "nav", "aside", "blockquote", "figure", "figcaption", "dl", "dt", "dd", "address", "hr",
            "form", "fieldset", "caption", "center");

    private record Context(Block.Kind kind, int level) {
    }

    private final List<Block> blocks = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final Deque<Context> contexts = new ArrayDeque<>();
    private int skipDepth;
    private int listDepth;
    private int tableDepth;
    private final StringBuilder table = new StringBuilder();
    private final StringBuilder row = new StringBuilder();
    private final StringBuilder cell = new StringBuilder();

    List<Block> blocks() {
        flush();
        return List.copyOf(blocks);
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
        String name = name(localName, qName);
        if (skipDepth > 0 || SKIPPED.contains(name)) {
            if (SKIPPED.contains(name)) skipDepth++;
            return;
        }
        if (tableDepth > 0) {
            switch (name) {
                case "table" -> tableDepth++;
                case "tr" -> endRow();
                case "td", "th" -> endCell();
                default -> cell.append(' ');
            }
            return;
        }
        switch (name) {
            case "table" -> {
                flush();
                tableDepth = 1;
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> open(Block.Kind.HEADING, name.charAt(1) - '0');
            case "p" -> {
                Context outer = contexts.peek();
                if (outer != null && outer.kind() == Block.Kind.LIST_ITEM) open(Block.Kind.LIST_ITEM, outer.level());
                else open(Block.Kind.PARAGRAPH, 0);
            }
            case "li" -> open(Block.Kind.LIST_ITEM, Math.max(1, listDepth));
            case "pre" -> open(Block.Kind.CODE, 0);
            case "ul", "ol" -> {
                flush();
                listDepth++;
            }
            case "br" -> text.append('\n');
            default -> {
                if (BOUNDARIES.contains(name)) flush();
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = name(localName, qName);
        if (skipDepth > 0) {
            if (SKIPPED.contains(name)) skipDepth--;
            return;
        }
        if (tableDepth > 0) {
            switch (name) {
                case "td", "th" -> endCell();
                case "tr" -> endRow();
                case "table" -> {
                    if (--tableDepth == 0) endTable();
                }
                default -> cell.append(' ');
            }
            return;
        }
        switch (name) {
            case "h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre" -> close();
            case "ul", "ol" -> {
                flush();
                listDepth = Math.max(0, listDepth - 1);
            }
            default -> {
                if (BOUNDARIES.contains(name)) flush();
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (skipDepth > 0) return;
        if (tableDepth > 0) cell.append(ch, start, length);
        else text.append(ch, start, length);
    }

    /** Tika writes line breaks (a PDF's, for one) as ignorable whitespace; they still separate words. */
    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    private void open(Block.Kind kind, int level) {
        flush();
        contexts.push(new Context(kind, level));
    }

    private void close() {
        flush();
        contexts.poll();
    }

    private void flush() {
        Context context = contexts.isEmpty() ? new Context(Block.Kind.PARAGRAPH, 0) : contexts.peek();
        String value = context.kind() == Block.Kind.CODE ? text.toString().strip() : Texts.normalize(text);
        text.setLength(0);
        if (!value.isEmpty()) blocks.add(new Block(context.kind(), context.level(), value));
    }

    private void endCell() {
        String value = Texts.normalize(cell);
        cell.setLength(0);
        if (value.isEmpty()) return;
        if (!row.isEmpty()) row.append(" | ");
        row.append(value);
    }

    private void endRow() {
        endCell();
        if (row.isEmpty()) return;
        if (!table.isEmpty()) table.append('\n');
        table.append(row);
        row.setLength(0);
    }

    private void endTable() {
        endRow();
        if (!table.isEmpty()) blocks.add(new Block(Block.Kind.TABLE, 0, table.toString()));
        table.setLength(0);
    }

    private static String name(String localName, String qName) {
        String name = localName == null || localName.isEmpty() ? qName : localName;
        int colon = name.indexOf(':');
        return (colon >= 0 ? name.substring(colon + 1) : name).toLowerCase(Locale.ROOT);
    }
}
