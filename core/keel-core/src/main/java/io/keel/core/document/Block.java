package io.keel.core.document;

import java.util.Objects;

/**
 * One structural unit of a parsed document, in reading order. Parsers emit blocks; the chunker packs them into
 * chunks without crossing a heading when it can avoid it.
 *
 * @param kind  what the block is
 * @param level heading level (1 = top) for headings, nesting depth for list items, 0 otherwise
 * @param text  the block's text, never null
 */
public record Block(Kind kind, int level, String text) {
    public enum Kind { HEADING, PARAGRAPH, LIST_ITEM, TABLE, CODE }

    public Block {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        if (level < 0) throw new IllegalArgumentException("level must be >= 0: " + level);
    }

    public static Block heading(int level, String text) {
        return new Block(Kind.HEADING, level, text);
    }

    public static Block paragraph(String text) {
        return new Block(Kind.PARAGRAPH, 0, text);
    }
}
