package io.keel.guard.policy;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.guard.TestData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Denied topics by embedding similarity, with the real all-MiniLM-L6-v2 embedder. */
class TopicDetectorTest {
    private static final String POLICY = """
            name: finance
            version: "1"
            topics:
              - name: investment-advice
                action: block
                examples: ["Which stocks should I buy right now?", "Should I put my savings into crypto?"]
                similarity: 0.6
            """;

    @Test
    void aParaphraseOfAnExampleIsCaughtAnUnrelatedQuestionIsNot() {
        TopicDetector topics = new TopicDetector(PolicyLoader.fromYaml(POLICY).topics(), TestData.embedder());
        List<Finding> hit = topics.detect("What shares would you recommend I invest in today?", Direction.INPUT);
        assertThat(hit).singleElement().satisfies(f -> {
            assertThat(f.type()).isEqualTo("TOPIC:investment-advice");
            assertThat(f.detector()).isEqualTo("topics:similarity");
            assertThat(f.score()).isGreaterThanOrEqualTo(0.6);
        });
        assertThat(topics.detect("How do I reset my VPN password?", Direction.INPUT)).isEmpty();
    }

    @Test
    void examplesWithoutAnEmbedderFailAtConstruction() {
        assertThatThrownBy(() -> new TopicDetector(PolicyLoader.fromYaml(POLICY).topics(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("investment-advice");
    }
}
