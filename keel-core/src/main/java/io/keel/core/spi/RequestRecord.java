package io.keel.core.spi;

import io.keel.core.answer.Lineage;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;

import java.time.Instant;
import java.util.List;

/**
 * One line of the request log.
 *
 * @param status    {@code ok} or the error code's wire name
 * @param citations chunk ids cited by the answer
 */
public record RequestRecord(String id, Instant time, String route, String question, String status, String error,
                            Usage usage, Timings timings, Lineage lineage, List<String> citations) {
    public RequestRecord {
        citations = List.copyOf(citations == null ? List.of() : citations);
    }
}
