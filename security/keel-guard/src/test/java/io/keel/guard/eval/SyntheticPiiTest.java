package io.keel.guard.eval;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.PiiScanner;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticPiiTest {
    private final PiiScanner scanner = PiiScanner.standard();

    @Test
    void theGeneratedSetIsTheSameOnEveryRun() {
        assertThat(SyntheticPii.generate()).isEqualTo(SyntheticPii.generate());
        assertThat(SyntheticPii.generate()).filteredOn(c -> "PHONE_NUMBER".equals(c.type())).extracting(SyntheticPii.Case::label)
                .anyMatch(l -> l.startsWith("AU")).anyMatch(l -> l.startsWith("IN")).anyMatch(l -> l.endsWith("national"))
                .anyMatch(l -> l.endsWith("international"));
    }

    @Test
    void everyPatternTypeMeetsRecallAndPrecisionTargets() {
        List<SyntheticPii.Row> rows = SyntheticPii.evaluate(scanner, SyntheticPii.generate());
        assertThat(rows).extracting(SyntheticPii.Row::type).containsExactly("PHONE_NUMBER", "CREDIT_CARD");
        for (SyntheticPii.Row r : rows) {
            assertThat(r.planted()).as(r.type()).isGreaterThan(100);
            assertThat(r.recall()).as(r.type() + " recall").isGreaterThanOrEqualTo(0.95);
            assertThat(r.precision()).as(r.type() + " precision").isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void nationalFormatPhonesAreFoundWithoutAContextWord() {
        assertThat(only("reach our office on (650) 253-0000", "PHONE_NUMBER")).isEqualTo("(650) 253-0000");
        assertThat(only("ring me on 020 7946 0958", "PHONE_NUMBER")).isEqualTo("020 7946 0958");
    }

    @Test
    void aBareDigitRunNeedsAContextWordToCountAsAPhone() {
        assertThat(scanner.scan("batch 6502530000 shipped")).noneMatch(f -> f.type().equals("PHONE_NUMBER"));
        assertThat(scanner.scan("call 6502530000")).anyMatch(f -> f.type().equals("PHONE_NUMBER"));
    }

    @Test
    void cardsOfEveryLengthAreFoundByLuhnWithTheIssuerAsBoost() {
        assertThat(only("paid with 4123456789012345677", "CREDIT_CARD")).isEqualTo("4123456789012345677");
        assertThat(only("paid with 501800000009", "CREDIT_CARD")).isEqualTo("501800000009");
        assertThat(only("paid with 213100000000001", "CREDIT_CARD")).isEqualTo("213100000000001");
        assertThat(only("paid with 4111 1111 1111 1111", "CREDIT_CARD")).isEqualTo("4111 1111 1111 1111");
        // Luhn-valid, but no scheme issues 9-prefixed 16-digit numbers: a card only next to a context word
        String noIssuer = SyntheticPii.card("9100", 16, new java.util.Random(1));
        assertThat(scanner.scan("reference " + noIssuer)).noneMatch(f -> f.type().equals("CREDIT_CARD"));
        assertThat(scanner.scan("my card number is " + noIssuer)).anyMatch(f -> f.type().equals("CREDIT_CARD"));
        // Luhn-invalid: never a card
        assertThat(scanner.scan("card 4123456789012345678")).noneMatch(f -> f.type().equals("CREDIT_CARD"));
    }

    private String only(String text, String type) {
        List<Finding> fs = scanner.scan(text).stream().filter(f -> f.type().equals(type)).toList();
        assertThat(fs).as(text).hasSize(1);
        return text.substring(fs.getFirst().start(), fs.getFirst().end());
    }
}
