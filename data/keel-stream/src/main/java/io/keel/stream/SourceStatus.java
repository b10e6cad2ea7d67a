package io.keel.stream;

import java.util.List;

/**
 * The state of one ingestion source.
 *
 * @param name       e.g. {@code kafka:kb-events}
 * @param collection the collection it writes to
 * @param running    whether it is consuming
 * @param partitions lag per assigned partition (empty for sources without partitions)
 * @param backlog    events received but not yet searchable
 */
public record SourceStatus(String name, String collection, boolean running, List<PartitionLag> partitions, long backlog) {
    public SourceStatus {
        partitions = List.copyOf(partitions);
    }
}
