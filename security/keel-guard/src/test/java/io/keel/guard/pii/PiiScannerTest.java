package io.keel.guard.pii;

import io.keel.core.guard.Finding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PiiScannerTest {
    @Test
    void contextWordsLiftAWeakMatchOverTheThreshold() {
        PiiScanner scanner = new PiiScanner(List.of(new UsSsnRecognizer()), Map.of(), 0.3);
        assertThat(scanner.scan("reference 536904399")).isEmpty();
        assertThat(scanner.scan("my ssn is 536904399")).singleElement()
                .satisfies(f -> assertThat(f.score()).isGreaterThanOrEqualTo(0.4));
    }

    @Test
    void negativeContextLowersTheScore() {
        ContextWords ctx = ContextWords.of("card").withNegative("order");
        assertThat(ctx.adjust("order number 12345", 13, 18, 0.6)).isEqualTo(0.3);
        assertThat(ctx.adjust("card number 12345", 12, 17, 0.6)).isEqualTo(0.95);
    }

    @Test
    void thresholdsArePerEntityType() {
        String text = "mail a@example.com or call 415-555-0132";
        assertThat(new PiiScanner(StandardRecognizers.all(), Map.of(), 0.5).scan(text))
                .extracting(Finding::type).contains("EMAIL_ADDRESS", "PHONE_NUMBER");
        assertThat(new PiiScanner(StandardRecognizers.all(), Map.of("PHONE_NUMBER", 0.99), 0.5).scan(text))
                .extracting(Finding::type).contains("EMAIL_ADDRESS").doesNotContain("PHONE_NUMBER");
    }

    @Test
    void everyFindingNamesItsDetector() {
        assertThat(PiiScanner.standard().scan("jane@example.com from 10.1.2.3"))
                .extracting(Finding::detector).containsExactlyInAnyOrder("email", "ip-address");
    }
}
