package io.keel.store.sql;

import io.keel.core.spi.IngestionJob;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Ingestion jobs on a real database: saved, updated, read back after a reconnect, and marked lost at a restart. */
abstract class IngestionJobStoreContract extends StoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void aJobIsSavedUpdatedAndReadBackByANewConnection() {
        SqlIngestionJobStore store = new SqlIngestionJobStore(db());
        IngestionJob job = IngestionJob.queued("job-1", "acme", 40, T0);
        store.save(job);
        store.save(job.running(16, T0.plusSeconds(1)));

        IngestionJob read = new SqlIngestionJobStore(db()).find("job-1").orElseThrow();
        assertThat(read.state()).isEqualTo(IngestionJob.State.RUNNING);
        assertThat(read.processed()).isEqualTo(16);
        assertThat(read.tenant()).isEqualTo("acme");
        assertThat(read.events()).isEqualTo(40);
        assertThat(read.createdAt()).isEqualTo(T0);

        store.save(read.done("{\"accepted\":40}", T0.plusSeconds(2)));
        IngestionJob done = store.find("job-1").orElseThrow();
        assertThat(done.state()).isEqualTo(IngestionJob.State.DONE);
        assertThat(done.result()).isEqualTo("{\"accepted\":40}");
        assertThat(done.processed()).isEqualTo(40);
        assertThat(store.find("job-2")).isEmpty();
    }

    @Test
    void unfinishedJobsAreMarkedLostAtTheNextStartAndFinishedOnesKeepTheirState() {
        SqlIngestionJobStore store = new SqlIngestionJobStore(db());
        store.save(IngestionJob.queued("q", null, 5, T0));
        store.save(IngestionJob.queued("r", null, 5, T0).running(2, T0));
        store.save(IngestionJob.queued("d", null, 5, T0).done("{}", T0));

        SqlIngestionJobStore restarted = new SqlIngestionJobStore(db());
        assertThat(restarted.markUnfinishedLost("the server stopped")).isEqualTo(2);
        assertThat(restarted.find("q").orElseThrow().state()).isEqualTo(IngestionJob.State.LOST);
        assertThat(restarted.find("r").orElseThrow().error()).isEqualTo("the server stopped");
        assertThat(restarted.find("r").orElseThrow().processed()).isEqualTo(2);
        assertThat(restarted.find("d").orElseThrow().state()).isEqualTo(IngestionJob.State.DONE);
    }
}
