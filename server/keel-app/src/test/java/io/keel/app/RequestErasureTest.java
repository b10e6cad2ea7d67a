package io.keel.app;

import io.keel.core.answer.Caller;
import io.keel.core.security.AuditActor;
import io.keel.core.security.AuditEntry;
import io.keel.core.security.AuditQuery;
import io.keel.core.spi.RequestFilter;
import io.keel.core.spi.RequestPurge;
import io.keel.core.spi.RequestRecord;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.store.sql.SqlRequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Purges on a real SQLite request log: what they delete, and the audit entry each leaves. */
class RequestErasureTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    @TempDir
    Path dir;

    static RequestRecord record(String id, Instant time, String user) {
        return RequestRecord.builder(id, "query").time(time).caller(new Caller("acme", user, null, null)).status("ok")
                .question("q").answer("a").context(List.of(new RequestRecord.ContextChunk("c", "d", 0.5, "secret context"))).build();
    }

    @Test
    void purgesAreAuditedWithFilterAndCountAndRetentionPurgesOnlyOldRecords() throws Exception {
        try (Database db = Database.sqlite(dir.resolve("keel.db")); SqlRequestStore store = new SqlRequestStore(db)) {
            SqlAuditLog audit = new SqlAuditLog(db, Clock.fixed(NOW, ZoneOffset.UTC));
            RequestErasure erasure = new RequestErasure(store, audit, Clock.fixed(NOW, ZoneOffset.UTC));
            store.record(record("r1", NOW.minus(Duration.ofDays(40)), "u1"));
            store.record(record("r2", NOW.minus(Duration.ofDays(10)), "u2"));
            store.record(record("r3", NOW.minus(Duration.ofDays(1)), "u1"));
            store.record(record("r4", NOW.minus(Duration.ofHours(1)), "u3"));

            assertThat(erasure.purgeOlderThan(Duration.ofDays(30))).isEqualTo(1);
            assertThat(erasure.purgeOlderThan(Duration.ofDays(30))).isZero(); // nothing to do: not audited
            assertThat(erasure.purge(new RequestPurge("acme", "u1", null), AuditActor.user("dpo"))).isEqualTo(1);
            assertThat(erasure.purge(new RequestPurge(null, "nobody", NOW), AuditActor.user("dpo"))).isZero();
            assertThat(store.find(RequestFilter.all())).extracting(RequestRecord::id).containsExactly("r4", "r2");

            List<AuditEntry> entries = audit.find(AuditQuery.latest()).reversed();
            assertThat(entries).hasSize(3);
            assertThat(entries.get(0).event().actor()).isEqualTo(RequestErasure.RETENTION);
            assertThat(entries.get(0).event().details()).containsEntry("before", NOW.minus(Duration.ofDays(30)).toString())
                    .containsEntry("count", 1);
            assertThat(entries.get(1).event().details()).containsEntry("tenant", "acme").containsEntry("user", "u1").containsEntry("count", 1);
            assertThat(entries.get(2).event().details()).containsEntry("user", "nobody").containsEntry("count", 0);
            assertThat(entries).allSatisfy(e -> assertThat(e.event().action()).isEqualTo("requests.purged"));

            try (AutoCloseable running = erasure.retain(Duration.ofDays(5))) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (audit.verify().entries() < 4 && System.nanoTime() < deadline) Thread.sleep(20);
            }
            assertThat(store.get("r2")).isEmpty();
            assertThat(store.get("r4")).isPresent();
            assertThat(audit.verify().entries()).isEqualTo(4);
        }
    }
}
