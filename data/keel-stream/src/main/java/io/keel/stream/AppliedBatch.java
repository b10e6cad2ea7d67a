package io.keel.stream;

import java.time.Instant;
import java.util.List;

/**
 * What one {@link EventApplier#apply} call did.
 *
 * @param outcomes     one per event, in input order
 * @param indexVersion the collection's version after the batch's commit
 * @param committedAt  when the commit returned: from then on every accepted change is searchable
 * @param chunksEmbedded chunks the embedding model was run on
 * @param vectorsReused  chunks of updated documents whose text was unchanged and which kept their indexed vector
 */
public record AppliedBatch(List<EventOutcome> outcomes, long indexVersion, Instant committedAt, int chunksEmbedded,
                           int vectorsReused) {
    public AppliedBatch {
        outcomes = List.copyOf(outcomes);
    }

    public long count(EventStatus status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
