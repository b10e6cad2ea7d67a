package io.keel.experiments.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArmsTest {
    @Test
    void anExperimentsArmIsThePartAtItsPositionInAJoinedStamp() {
        assertThat(Arms.variantOf("prompts", "prompts", "v2")).isEqualTo("v2");
        assertThat(Arms.variantOf("prompts", "prompts+retrieval", "v2+bm25")).isEqualTo("v2");
        assertThat(Arms.variantOf("retrieval", "prompts+retrieval", "v2+bm25")).isEqualTo("bm25");
        assertThat(Arms.variantOf("a", "x+a+y", "1+holdout+3")).isEqualTo("holdout");
    }

    @Test
    void aStampWithoutTheExperimentHasNoArmOfIt() {
        assertThat(Arms.variantOf("prompts", "retrieval", "bm25")).isNull();
        assertThat(Arms.variantOf("prompt", "prompts+retrieval", "v2+bm25")).isNull();
        assertThat(Arms.variantOf("prompts", "prompts+retrieval", "v2")).as("malformed stamp").isNull();
        assertThat(Arms.variantOf("prompts", null, null)).isNull();
        assertThat(Arms.variantOf(null, "prompts+retrieval", "v2+bm25")).isEqualTo("v2+bm25");
    }
}
