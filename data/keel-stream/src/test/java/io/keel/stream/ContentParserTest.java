package io.keel.stream;

import io.keel.core.document.Block;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentParserTest {
    private final ContentParser parser = new ContentParser();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void markdownKeepsItsStructureAndItsOwnTitle() {
        ContentParser.Parsed parsed = parser.parse(utf8("---\ntitle: keel\n---\n# Setup\n\nInstall it.\n"), "text/markdown");

        assertThat(parsed.title()).as("a title that is a prefix of any file name is still the document's")
                .isEqualTo("keel");
        assertThat(parsed.blocks()).extracting(Block::kind).containsExactly(Block.Kind.HEADING, Block.Kind.PARAGRAPH);
    }

    @Test
    void plainTextHasNoTitleOfItsOwn() {
        ContentParser.Parsed parsed = parser.parse(utf8("First paragraph.\n\nSecond one."), "text/plain");

        assertThat(parsed.title()).isEmpty();
        assertThat(parsed.blocks()).extracting(Block::text).containsExactly("First paragraph.", "Second one.");
    }

    @Test
    void htmlGoesThroughTika() {
        ContentParser.Parsed parsed = parser.parse(utf8("<html><head><title>Returns</title></head><body><p>Within 30 days.</p></body></html>"),
                "text/html");

        assertThat(parsed.title()).isEqualTo("Returns");
        assertThat(parsed.blocks()).extracting(Block::text).contains("Within 30 days.");
    }

    @Test
    void anUnknownMediaTypeIsUnprocessable() {
        assertThatThrownBy(() -> parser.parse(utf8("x"), "application/x-unknown"))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNPROCESSABLE))
                .hasMessageContaining("no parser for media type 'application/x-unknown'");
    }
}
