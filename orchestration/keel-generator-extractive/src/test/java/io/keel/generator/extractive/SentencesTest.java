package io.keel.generator.extractive;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SentencesTest {
    @Test
    void aDotInsideACommandOrPathDoesNotEndTheSentence() {
        assertThat(Sentences.split("To add files, run ./keel ingest ~/handbook --collection handbook today. Then ask a question about them."))
                .containsExactly("To add files, run ./keel ingest ~/handbook --collection handbook today.",
                        "Then ask a question about them.");
    }

    @Test
    void paragraphsAndListLinesStaySeparate() {
        assertThat(Sentences.split("First paragraph has enough words here.\n\nsecond paragraph starts lower case and has words."))
                .containsExactly("First paragraph has enough words here.", "second paragraph starts lower case and has words.");
    }

    @Test
    void codeAndTableLinesAreNotAnswers() {
        assertThat(Sentences.isProse("{\"question\": \"x\", \"top_k\": 3}")).isFalse();
        assertThat(Sentences.isProse("| a | b |")).isFalse();
        assertThat(Sentences.isProse("The server listens on port 8080 by default.")).isTrue();
    }
}
