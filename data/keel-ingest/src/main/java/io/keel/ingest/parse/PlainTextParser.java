package io.keel.ingest.parse;

import io.keel.core.document.Block;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Plain text: paragraphs are separated by blank lines; line breaks inside a paragraph become spaces. */
public final class PlainTextParser extends SingleDocumentParser {
    private static final Pattern BLANK_LINE = Pattern.compile("\\R\\s*\\R");

    @Override
    public Set<String> extensions() {
        return Set.of("txt", "text");
    }

    @Override
    protected Content read(byte[] bytes, SourceFile file) {
        return new Content("", "text/plain", paragraphs(Texts.decode(bytes)));
    }

    static List<Block> paragraphs(String text) {
        List<Block> blocks = new ArrayList<>();
        for (String part : BLANK_LINE.split(text)) {
            String paragraph = Texts.normalize(part);
            if (!paragraph.isEmpty()) blocks.add(Block.paragraph(paragraph));
        }
        return blocks;
    }
}
