package io.keel.quality;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextTest {
    @Test
    void stripsCitationMarkers() {
        assertThat(Text.stripCitations("Keys rotate daily [1]. Logs are kept [2, 3]. See [1-2].")).isEqualTo("Keys rotate daily. Logs are kept. See.");
        assertThat(Text.stripCitations("an array a[i] stays")).isEqualTo("an array a[i] stays");
    }

    @Test
    void splitsSentencesAndLines() {
        assertThat(Text.sentences("First one here. Second one here!\n- a list item\n\nLast?"))
                .containsExactly("First one here.", "Second one here!", "- a list item", "Last?");
    }

    @Test
    void termsDropStopwordsAndStem() {
        assertThat(Text.terms("The keys were rotated, rotating and rotates.")).containsExactlyInAnyOrder("key", "rotat");
        assertThat(Text.containment(Text.terms("rotate the key"), Text.terms("a rotated key"))).isEqualTo(1.0);
    }

    @Test
    void normalizeIgnoresCaseAndPunctuation() {
        assertThat(Text.normalize("  A rotated key, stays VALID!")).isEqualTo("a rotated key stays valid");
    }
}
