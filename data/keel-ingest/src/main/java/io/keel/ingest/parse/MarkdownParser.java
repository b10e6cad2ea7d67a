package io.keel.ingest.parse;

import io.keel.core.document.Block;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CommonMark with GitHub tables. Headings, paragraphs, list items (level = nesting depth, 1 for a top-level item),
 * fenced and indented code and tables become blocks. The title is a YAML front matter {@code title:}, else a
 * level-1 heading that opens the document, else the file name.
 */
public final class MarkdownParser extends SingleDocumentParser {
    private static final Pattern FRONT_MATTER = Pattern.compile("\\A---\\R(.*?)\\R---[ \\t]*(\\R|\\z)", Pattern.DOTALL);
    private static final Pattern FRONT_MATTER_TITLE = Pattern.compile("(?m)^title:\\s*[\"']?(.*?)[\"']?\\s*$");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private final Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    @Override
    public Set<String> extensions() {
        return Set.of("md", "markdown");
    }

    @Override
    protected Content read(byte[] bytes, SourceFile file) {
        String text = Texts.decode(bytes);
        String title = "";
        Matcher frontMatter = FRONT_MATTER.matcher(text);
        if (frontMatter.find()) {
            Matcher t = FRONT_MATTER_TITLE.matcher(frontMatter.group(1));
            if (t.find()) title = t.group(1);
            text = text.substring(frontMatter.end());
        }
        List<Block> blocks = parse(text);
        if (title.isBlank() && !blocks.isEmpty() && blocks.getFirst().kind() == Block.Kind.HEADING
                && blocks.getFirst().level() == 1) {
            title = blocks.getFirst().text();
        }
        return new Content(title, "text/markdown", blocks);
    }

    /** The blocks of a Markdown text in reading order. */
    public List<Block> parse(String markdown) {
        List<Block> blocks = new ArrayList<>();
        visitChildren(parser.parse(markdown), 0, blocks);
        return blocks;
    }

    private static void visitChildren(Node parent, int listDepth, List<Block> out) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) visit(node, listDepth, out);
    }

    private static void visit(Node node, int listDepth, List<Block> out) {
        switch (node) {
            case Heading h -> add(out, Block.Kind.HEADING, h.getLevel(), inline(h));
            case Paragraph p -> add(out, listDepth > 0 ? Block.Kind.LIST_ITEM : Block.Kind.PARAGRAPH, listDepth, inline(p));
            case ListBlock list -> visitChildren(list, listDepth + 1, out);
            case ListItem item -> visitChildren(item, listDepth, out);
            case BlockQuote quote -> visitChildren(quote, listDepth, out);
            case FencedCodeBlock code -> addCode(out, code.getLiteral());
            case IndentedCodeBlock code -> addCode(out, code.getLiteral());
            case HtmlBlock html -> add(out, Block.Kind.PARAGRAPH, 0, TAG.matcher(html.getLiteral()).replaceAll(" "));
            case TableBlock table -> out.add(new Block(Block.Kind.TABLE, 0, table(table)));
            default -> visitChildren(node, listDepth, out);
        }
    }

    private static void add(List<Block> out, Block.Kind kind, int level, String text) {
        String normalized = Texts.normalize(text);
        if (!normalized.isEmpty()) out.add(new Block(kind, kind == Block.Kind.PARAGRAPH ? 0 : level, normalized));
    }

    private static void addCode(List<Block> out, String literal) {
        String code = literal.stripTrailing();
        if (!code.isBlank()) out.add(new Block(Block.Kind.CODE, 0, code));
    }

    private static String table(TableBlock table) {
        StringBuilder rows = new StringBuilder();
        collectRows(table, rows);
        return rows.toString();
    }

    private static void collectRows(Node parent, StringBuilder rows) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof TableRow row) {
                StringBuilder line = new StringBuilder();
                for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                    if (!(cell instanceof TableCell)) continue;
                    if (!line.isEmpty()) line.append(" | ");
                    line.append(Texts.normalize(inline(cell)));
                }
                if (!rows.isEmpty()) rows.append('\n');
                rows.append(line);
            } else {
                collectRows(node, rows);
            }
        }
    }

    /** The visible text of an inline subtree: literals, code spans, link and image text; raw HTML tags dropped. */
    private static String inline(Node parent) {
        StringBuilder sb = new StringBuilder();
        appendInline(parent, sb);
        return sb.toString();
    }

    private static void appendInline(Node parent, StringBuilder sb) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
            switch (node) {
                case Text t -> sb.append(t.getLiteral());
                case Code c -> sb.append(c.getLiteral());
                case SoftLineBreak ignored -> sb.append(' ');
                case HardLineBreak ignored -> sb.append('\n');
                case HtmlInline ignored -> sb.append(' ');
                default -> appendInline(node, sb);
            }
        }
    }
}
