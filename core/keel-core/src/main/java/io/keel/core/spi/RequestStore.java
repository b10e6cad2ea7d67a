package io.keel.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * A request log that can be read back: one record per request, queried by id, by filter, and aggregated for cost
 * attribution. The embedded implementation is SQLite; PostgreSQL shares the interface and the schema.
 */
public interface RequestStore extends RequestLog {
    Optional<RequestRecord> get(String id);

    /** Records matching every set field of {@code filter}, newest first, at most {@code filter.limit()}. */
    List<RequestRecord> find(RequestFilter filter);

    /**
     * Every record stamped with {@code experiment}, any variant, oldest first: the outcomes an experiment report is
     * computed from. The records may leave out their texts (question, answer, citations, context).
     */
    List<RequestRecord> forExperiment(String experiment);

    /**
     * Per variant and outcome, the sums of what {@link #forExperiment} would return for {@code experiment}, kept as
     * records are written, replaced and erased (in the same transaction): what a report reads instead of every record.
     * A record stamped with several layers' experiments counts for each, under its own part of the variant.
     *
     * @return one entry per variant and outcome observed at least once, in no particular order
     */
    List<OutcomeSums> outcomeSums(String experiment);

    /** Requests, tokens and cost grouped by the dimensions of {@code query}, largest cost first. */
    List<UsageRow> usage(UsageQuery query);

    /**
     * Erases the records {@code purge} selects, with everything stored with them (question, answer, retrieved
     * context), including records still queued for writing.
     *
     * @return how many records were erased
     */
    int purge(RequestPurge purge);
}
