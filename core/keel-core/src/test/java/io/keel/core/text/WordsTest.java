package io.keel.core.text;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class WordsTest {
    @Test
    void sentencePiecesKeepTheTextAsItStands() {
        String text = "Keel answers questions. It cites its sources!\nA list line";
        assertThat(Words.sentencePieces(text)).containsExactly("Keel answers questions. ", "It cites its sources!\n", "A list line");
        assertThat(String.join("", Words.sentencePieces(text))).isEqualTo(text);
        assertThat(Words.sentencePieces("")).isEmpty();
    }

    @Test
    void stemDropsOneSuffixAndLeavesShortWords() {
        assertThat(Words.stem("indexing")).isEqualTo("index");
        assertThat(Words.stem("rotated")).isEqualTo("rotat");
        assertThat(Words.stem("matches")).isEqualTo("match");
        assertThat(Words.stem("models")).isEqualTo("model");
        assertThat(Words.stem("class")).isEqualTo("class");
        assertThat(Words.stem("sing")).isEqualTo("sing");
        assertThat(Words.stem("bed")).isEqualTo("bed");
    }

    @Test
    void termsAreLowerCasedStemmedContentWords() {
        assertThat(Words.terms("The Models were Indexing x 42 documents", Set.of("the", "were"), Words::stem))
                .containsExactlyInAnyOrder("model", "index", "42", "document");
        assertThat(Words.terms("Keys", Set.of(), w -> w)).containsExactly("keys");
    }
}
