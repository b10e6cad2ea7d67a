package io.keel.ingest;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a running ingestion, enough to draw a progress bar.
 *
 * @param filesDone       files finished (ingested, skipped or failed)
 * @param filesTotal      files found under the given paths
 * @param bytesDone       bytes of the files read so far, partial progress through a large JSONL file included
 * @param bytesTotal      bytes of all files found
 * @param documentsDone   documents written or found unchanged
 * @param chunksDone      chunks embedded and written
 * @param chunksPerSecond chunks written per second of wall time so far
 * @param elapsed         wall time so far
 * @param source          the file being read, or empty once every file is done
 */
public record IngestProgress(int filesDone, int filesTotal, long bytesDone, long bytesTotal, long documentsDone,
                             long chunksDone, double chunksPerSecond, Duration elapsed, String source) {

    /** Share of the input read, from 0 to 1, by bytes. */
    public double fraction() {
        return bytesTotal <= 0 ? (filesTotal == 0 ? 1.0 : (double) filesDone / filesTotal) : Math.min(1.0, (double) bytesDone / bytesTotal);
    }

    /** Time left at the rate so far, by bytes read; empty until there is a rate. */
    public Optional<Duration> eta() {
        double fraction = fraction();
        if (fraction <= 0 || elapsed.isZero()) return Optional.empty();
        return Optional.of(Duration.ofMillis((long) (elapsed.toMillis() * (1 - fraction) / fraction)));
    }
}
