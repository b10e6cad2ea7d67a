package io.keel.stream;

/**
 * How far a source's committed position trails the end of one partition.
 *
 * @param committedOffset the next offset this consumer group will read after a restart
 * @param endOffset       the offset the next record written to the partition will get
 */
public record PartitionLag(String topic, int partition, long committedOffset, long endOffset) {
    /** Records written but not yet applied and committed. */
    public long lag() {
        return Math.max(0, endOffset - committedOffset);
    }
}
