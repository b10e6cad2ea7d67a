package io.keel.core.spi;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An asynchronous push of documents ({@code POST /v1/documents?async=true}) and how far it got.
 *
 * @param id        the job id the push was answered with
 * @param tenant    the tenant of the key that pushed it; null in open mode
 * @param state     where it is
 * @param events    events the push carried
 * @param processed events applied (or rejected) so far
 * @param error     why it failed or was lost; null otherwise
 * @param result    the per-event results as the synchronous push answers them (JSON), once the job is done; null before
 * @param createdAt when it was accepted
 * @param updatedAt its last change
 */
public record IngestionJob(String id, String tenant, State state, int events, int processed, String error, String result,
                           Instant createdAt, Instant updatedAt) {
    /** The life of a job: queued, running, then done or failed; a job the server stopped during is lost. */
    public enum State {
        QUEUED, RUNNING, DONE, FAILED, LOST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean finished() {
            return this == DONE || this == FAILED || this == LOST;
        }

        public static State ofWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    public IngestionJob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A job just accepted. */
    public static IngestionJob queued(String id, String tenant, int events, Instant now) {
        return new IngestionJob(id, tenant, State.QUEUED, events, 0, null, null, now, now);
    }

    public IngestionJob running(int processedSoFar, Instant now) {
        return new IngestionJob(id, tenant, State.RUNNING, events, processedSoFar, null, null, createdAt, now);
    }

    public IngestionJob done(String resultJson, Instant now) {
        return new IngestionJob(id, tenant, State.DONE, events, events, null, resultJson, createdAt, now);
    }

    public IngestionJob failed(int processedSoFar, String why, String resultJson, Instant now) {
        return new IngestionJob(id, tenant, State.FAILED, events, processedSoFar, why, resultJson, createdAt, now);
    }
}
