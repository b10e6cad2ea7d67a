package io.keel.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one ingestion did.
 *
 * @param added         documents new to the index
 * @param updated       documents whose content changed and were written again
 * @param unchanged     documents skipped because the index holds the same content hash
 * @param deleted       indexed documents removed because their source is gone
 * @param failed        files, records and documents that could not be ingested, with the reason
 * @param skipped       files that no parser handles
 * @param quarantined   chunks a {@link ChunkScreen} held back (never indexed), with the reason
 * @param chunksWritten chunks written
 * @param vectorsReused chunks of updated documents that kept their indexed vector (their embedding text was unchanged),
 *                      so {@code chunksWritten - vectorsReused} chunks were embedded
 * @param elapsed       wall time
 * @param indexVersion  the index version after the final commit
 */
public record IngestReport(int added, int updated, int unchanged, int deleted, List<Problem> failed,
                           List<Problem> skipped, List<Problem> quarantined, long chunksWritten, long vectorsReused,
                           Duration elapsed, long indexVersion) {

    /**
     * A source that was not ingested.
     *
     * @param source relative path, with {@code :line} for a record of a multi-record file
     * @param reason what was wrong, for the person who has to fix it
     */
    public record Problem(String source, String reason) {
        public Problem {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return source + ": " + reason;
        }
    }

    public IngestReport {
        failed = List.copyOf(failed);
        skipped = List.copyOf(skipped);
        quarantined = List.copyOf(quarantined);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** Documents embedded and written: added plus updated. */
    public int written() {
        return added + updated;
    }

    /** Whether every supported source was ingested. */
    public boolean clean() {
        return failed.isEmpty();
    }
}
