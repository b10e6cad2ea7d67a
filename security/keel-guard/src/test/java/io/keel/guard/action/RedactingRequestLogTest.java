package io.keel.guard.action;

import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactingRequestLogTest {
    @Test
    void theLogBehindNeverSeesRawPiiOrSecrets() {
        List<RequestRecord> stored = new ArrayList<>();
        RequestLog sink = stored::add;
        try (RequestLog log = new RedactingRequestLog(sink)) {
            log.record(RequestRecord.builder("r1", "/v1/query").time(Instant.EPOCH)
                    .question("My SSN is 536-90-4399, card 4111 1111 1111 1111, email jane@example.com, key AKIAIOSFODNN7EXAMPLE")
                    .answer("Reach Jane at jane@example.com or +1 415 555 0132.")
                    .context(List.of(new RequestRecord.ContextChunk("d#0", "d", 0.9, "Jane's card is 4111 1111 1111 1111.")))
                    .failed("error", "upstream rejected +1 415 555 0132 and 078051121")
                    .citations(List.of("d#0")).build());
        }
        assertThat(stored).singleElement().satisfies(r -> {
            String all = r.question() + " " + r.error() + " " + r.answer() + " " + r.context().getFirst().text();
            assertThat(all).doesNotContain("536-90-4399", "4111 1111 1111 1111", "jane@example.com", "AKIAIOSFODNN7EXAMPLE",
                    "415 555 0132", "078051121");
            assertThat(r.question()).contains("<US_SSN>", "<CREDIT_CARD>", "<EMAIL_ADDRESS>", "<AWS_ACCESS_KEY>");
            assertThat(r.id()).isEqualTo("r1");
            assertThat(r.citations()).containsExactly("d#0");
        });
    }

    @Test
    void theCountryPacksOfTheGuardPolicyAreRedactedFromLogsToo() {
        String question = "Meine Steuer-ID ist 86095742719.";
        assertThat(Redactor.forLogs(List.of("de")).redact(question)).isEqualTo("Meine Steuer-ID ist <DE_TAX_ID>.");
        assertThat(Redactor.forLogs().redact(question)).as("not a standard identifier").doesNotContain("DE_TAX_ID");
    }

    @Test
    void nullAndCleanFieldsPassUnchanged() {
        Redactor r = Redactor.forLogs();
        assertThat(r.redact(null)).isNull();
        assertThat(r.redact("What is the refund policy?")).isEqualTo("What is the refund policy?");
    }
}
