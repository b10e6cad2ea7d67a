package io.keel.core.spi;

import java.util.Optional;

/** Where ingestion jobs are kept, so their state outlives the process that ran them. Thread-safe. */
public interface IngestionJobStore {
    /** Inserts the job or replaces the stored state of the same id. */
    void save(IngestionJob job);

    Optional<IngestionJob> find(String id);

    /**
     * Marks every job still queued or running as {@link IngestionJob.State#LOST} with {@code reason}: called once at
     * start, when no job of this store can be running any more (their events lived in the memory of a stopped process).
     *
     * @return how many jobs were marked
     */
    int markUnfinishedLost(String reason);
}
