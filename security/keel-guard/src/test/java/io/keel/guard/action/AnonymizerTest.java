package io.keel.guard.action;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.PiiScanner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnonymizerTest {
    private static final String TEXT = "Card 4111 1111 1111 1111, mail jane@example.com";
    private final List<Finding> findings = PiiScanner.standard().scan(TEXT);

    @Test
    void maskKeepsSeparatorsAndTheLastFour() {
        assertThat(Anonymizer.apply(TEXT, findings, f -> Action.MASK, null))
                .startsWith("Card **** **** **** 1111,").doesNotContain("jane@example.com");
        assertThat(Anonymizer.mask("1234")).isEqualTo("****");
    }

    @Test
    void redactReplacesValuesWithTheirType() {
        assertThat(Anonymizer.apply(TEXT, findings, f -> Action.REDACT, null)).isEqualTo("Card <CREDIT_CARD>, mail <EMAIL_ADDRESS>");
    }

    @Test
    void allowLeavesTheTextAlone() {
        assertThat(Anonymizer.apply(TEXT, findings, f -> Action.ALLOW, null)).isEqualTo(TEXT);
    }

    @Test
    void overlappingFindingsKeepTheHigherScore() {
        List<Finding> overlap = List.of(new Finding("A", 0, 10, 0.4, "x"), new Finding("B", 5, 15, 0.9, "y"));
        assertThat(Anonymizer.apply("0123456789abcdefgh", overlap, f -> Action.REDACT, null)).isEqualTo("01234<B>fgh");
    }

    @Test
    void pseudonymizeWithoutASessionIsAnError() {
        assertThatThrownBy(() -> Anonymizer.apply(TEXT, findings, f -> Action.PSEUDONYMIZE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
