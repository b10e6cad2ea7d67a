package io.keel.guard.action;

import io.keel.guard.pii.PiiScanner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PseudonymSessionTest {
    @Test
    void sameValueSameTokenAndTheAnswerRehydrates() {
        String question = "Email jane@example.com and bob@example.org, then jane@example.com again.";
        try (PseudonymSession session = new PseudonymSession()) {
            String masked = Anonymizer.apply(question, PiiScanner.standard().scan(question), f -> Action.PSEUDONYMIZE, session);
            assertThat(masked).isEqualTo("Email <EMAIL_ADDRESS_1> and <EMAIL_ADDRESS_2>, then <EMAIL_ADDRESS_1> again.");
            String answer = "I wrote to <EMAIL_ADDRESS_2> and copied <EMAIL_ADDRESS_1>; <EMAIL_ADDRESS_9> is unknown.";
            assertThat(session.rehydrate(answer))
                    .isEqualTo("I wrote to bob@example.org and copied jane@example.com; <EMAIL_ADDRESS_9> is unknown.");
        }
    }

    @Test
    void theStoredMappingHoldsNoClearValue() {
        try (PseudonymSession session = new PseudonymSession()) {
            session.tokenFor("US_SSN", "536-90-4399");
            assertThat(session.sealedMapping()).containsOnlyKeys("<US_SSN_1>");
            String sealed = session.sealedMapping().get("<US_SSN_1>");
            // Ciphertext is random hex, so only whole encodings of the value are meaningful to look for.
            byte[] clear = "536-90-4399".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(sealed).doesNotContain("536-90-4399").doesNotContain("536904399")
                    .doesNotContain(java.util.HexFormat.of().formatHex(clear))
                    .doesNotContain(java.util.Base64.getEncoder().encodeToString(clear));
        }
    }

    @Test
    void sessionsDoNotShareKeysOrTokens() {
        try (PseudonymSession a = new PseudonymSession(); PseudonymSession b = new PseudonymSession()) {
            a.tokenFor("EMAIL_ADDRESS", "x@example.com");
            assertThat(b.rehydrate("<EMAIL_ADDRESS_1>")).isEqualTo("<EMAIL_ADDRESS_1>");
        }
    }

    @Test
    void aClosedSessionCannotIssueTokens() {
        PseudonymSession s = new PseudonymSession();
        s.close();
        assertThatThrownBy(() -> s.tokenFor("EMAIL_ADDRESS", "x@example.com")).isInstanceOf(IllegalStateException.class);
    }
}
