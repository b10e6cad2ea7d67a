package io.keel.guard.action;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.PiiScanner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamingScannerTest {
    private final PiiScanner scanner = PiiScanner.standard();

    private StreamingScanner redacting() {
        return new StreamingScanner(scanner::scan, f -> f.type().equals("PRIVATE_KEY") ? Action.BLOCK : Action.REDACT,
                new PseudonymSession(), 64);
    }

    @Test
    void aCardSplitAcrossChunksIsNeverEmittedRaw() {
        String answer = "Your card on file is 4111 1111 1111 1111 and it expires soon. "
                + "Your phone is +1 415 555 0132. Nothing else is stored about you in this system at all.";
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < answer.length(); i += 3) chunks.add(answer.substring(i, Math.min(answer.length(), i + 3)));
        StreamingScanner s = redacting();
        StringBuilder out = new StringBuilder();
        for (String c : chunks) {
            StreamingScanner.Emission e = s.accept(c);
            assertThat(e.blocked()).isFalse();
            out.append(e.text());
            assertThat(out.toString()).doesNotContain("4111 1111").doesNotContain("415 555");
        }
        out.append(s.finish().text());
        String batch = Anonymizer.apply(answer, scanner.scan(answer), f -> Action.REDACT, null);
        assertThat(out.toString()).isEqualTo(batch).contains("<CREDIT_CARD>").contains("<PHONE_NUMBER>");
    }

    @Test
    void aBlockingFindingStopsTheStream() {
        StreamingScanner s = redacting();
        assertThat(s.accept("here is the key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow").text()).doesNotContain("MIIE");
        StreamingScanner.Emission e = s.accept("IBAAKCAQEAx\n-----END RSA PRIVATE KEY----- done");
        assertThat(e.blocked()).isTrue();
        assertThat(e.finding().type()).isEqualTo("PRIVATE_KEY");
        assertThat(s.accept("more").blocked()).isTrue();
    }

    @Test
    void textWithoutPiiFlowsThroughOnceTheWindowIsFull() {
        StreamingScanner s = redacting();
        String longText = "word ".repeat(40);
        String first = s.accept(longText).text();
        assertThat(first).isNotEmpty();
        assertThat(first + s.finish().text()).isEqualTo(longText);
    }

    @Test
    void findingsHaveStableTokensAcrossChunksWhenPseudonymizing() {
        PseudonymSession session = new PseudonymSession();
        StreamingScanner s = new StreamingScanner(scanner::scan, f -> Action.PSEUDONYMIZE, session, 32);
        StringBuilder out = new StringBuilder();
        for (String c : List.of("Write to jane@exa", "mple.com today. ", "word ".repeat(12), "Then jane@example.com again.")) {
            out.append(s.accept(c).text());
        }
        out.append(s.finish().text());
        assertThat(out.toString()).contains("<EMAIL_ADDRESS_1> today").contains("Then <EMAIL_ADDRESS_1> again").doesNotContain("jane@");
        assertThat(session.rehydrate(out.toString())).contains("jane@example.com today");
        List<Finding> none = scanner.scan(out.toString()).stream().filter(f -> f.type().equals("EMAIL_ADDRESS")).toList();
        assertThat(none).isEmpty();
    }
}
