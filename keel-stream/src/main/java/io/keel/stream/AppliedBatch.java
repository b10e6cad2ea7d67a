package io.keel.stream;

import java.time.Instant;
import java.util.List;

/**
 * What one {@link EventApplier#apply} call did.
 *
 * @param outcomes     one per event, in input order
 * @param indexVersion the collection's version after the batch's commit
 * @param committedAt  when the commit returned: from then on every accepted change is searchable
 */
public record AppliedBatch(List<EventOutcome> outcomes, long indexVersion, Instant committedAt) {
    public AppliedBatch {
        outcomes = List.copyOf(outcomes);
    }

    public long count(EventStatus status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }
}
