package io.keel.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.RequestPurge;
import io.keel.core.spi.RequestRecord;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentFiles;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlFeedbackStore;
import io.keel.store.sql.SqlRequestStore;
import io.keel.test.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report the route serves, computed from the sums the SQL stores keep per variant, against the report computed
 * from every record and rating, on each engine: equal after inserts (the same arithmetic in the same order), equal up
 * to rounding after records are replaced and erased and after the sums are first built from rows already stored.
 */
abstract class ReportFromSumsContract {
    static final Experiment EXP = ExperimentFiles.parse("""
            name: sums-test
            unit: request
            variants:
              - name: control
                weight: 50
              - name: cheap
                weight: 30
              - name: fast
                weight: 20
              - name: mirror
                shadow: true
            """, "sums-test.yaml");
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;
    private TestDatabase database;
    private final List<AutoCloseable> opened = new ArrayList<>();

    abstract TestDatabase.Engine engine();

    private Database open() {
        if (database == null) database = TestDatabase.create(engine(), dir);
        Database db = database.engine() == TestDatabase.Engine.SQLITE ? Database.sqlite(database.sqliteFile())
                : Database.postgres(database.jdbcUrl(), TestDatabase.PG_USER, null, 2);
        opened.add(db);
        return db;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
        if (database != null) database.close();
    }

    /**
     * Seeded traffic: three live arms, a shadow arm, holdout and another experiment's requests, requests stamped
     * with two layers' experiments, errors, guard blocks, chat requests without groundedness, a stage only some
     * requests have, and costs, latencies and tokens of different scales.
     */
    static List<RequestRecord> traffic(int n, long seed) {
        Random rnd = new Random(seed);
        String[] arms = {"control", "cheap", "fast", "mirror", "holdout"};
        List<RequestRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String arm = arms[rnd.nextInt(10) < 8 ? rnd.nextInt(3) : 3 + rnd.nextInt(2)];
            String experiment = "sums-test";
            String variant = arm;
            int layers = rnd.nextInt(10);
            if (layers == 0) {
                experiment = "sums-test+prompts";
                variant = arm + "+v2";
            } else if (layers == 1) {
                experiment = "prompts+sums-test";
                variant = "v1+" + arm;
            } else if (layers == 2) {
                experiment = "other";
                variant = "control";
            }
            boolean chat = rnd.nextInt(4) == 0;
            Map<String, Long> nanos = new LinkedHashMap<>();
            nanos.put(Timings.TOTAL, 200_000_000L + (arm.equals("fast") ? -40_000_000L : 0) + (long) (30_000_000 * rnd.nextGaussian()));
            nanos.put(Timings.INFERENCE, 150_000_000L + rnd.nextInt(20_000_000));
            if (rnd.nextBoolean()) nanos.put("rerank", 3_000_000L + rnd.nextInt(1_000_000));
            int status = rnd.nextInt(40);
            RequestRecord.Builder b = RequestRecord.builder(String.format("r%06d", i), chat ? "chat" : "query")
                    .time(T0.plusMillis(1000L * i))
                    .caller(new Caller("t" + (i % 3), "u" + (i % 7), "app", null))
                    .usage(new Usage(300 + rnd.nextInt(200), 80 + rnd.nextInt(40), 0,
                            Math.max(0, (arm.equals("cheap") ? 0.0071 : 0.0102) + 0.002 * rnd.nextGaussian()), false))
                    .timings(new Timings(nanos))
                    .quality(chat ? Quality.NONE : new Quality(0.5 + 0.1 * rnd.nextGaussian(), null, null,
                            Math.min(1, Math.max(0, 0.8 + 0.05 * rnd.nextGaussian())), null, null))
                    .lineage(new Lineage(null, null, "m", "1", null, null, null, experiment, variant, Map.of()));
            if (status == 0) b.failed("error", "the model failed");
            else if (status == 1) b.status("blocked");
            out.add(b.build());
        }
        return out;
    }

    static List<Feedback> ratings(List<RequestRecord> records, long seed) {
        Random rnd = new Random(seed);
        List<Feedback> out = new ArrayList<>();
        for (RequestRecord r : records) {
            if (rnd.nextInt(4) != 0) continue;
            Double score = rnd.nextBoolean() ? Math.floor(rnd.nextDouble() * 5) / 4 : null;
            Boolean thumbs = score == null || rnd.nextBoolean() ? rnd.nextInt(3) > 0 : null;
            out.add(new Feedback(r.id(), r.lineage().experiment(), r.lineage().variant(), r.caller(), score, thumbs, null,
                    r.time().plusSeconds(5)));
        }
        return out;
    }

    private static ExperimentReport fromRecords(SqlRequestStore requests, SqlFeedbackStore feedback) {
        return ExperimentReports.compute(EXP, requests.forExperiment(EXP.name()), feedback.forExperiment(EXP.name()), 0.05, 100);
    }

    private static ExperimentReport fromSums(SqlRequestStore requests, SqlFeedbackStore feedback) {
        return ExperimentReports.computeFromSums(EXP, requests.outcomeSums(EXP.name()), feedback.outcomeSums(EXP.name()), 0.05, 100);
    }

    @Test
    void theReportFromSumsEqualsTheReportFromEveryRecord() {
        Database db = open();
        SqlRequestStore requests = new SqlRequestStore(db);
        opened.add(requests);
        SqlFeedbackStore feedback = new SqlFeedbackStore(db);
        List<RequestRecord> traffic = traffic(3000, 23);
        traffic.forEach(requests::record);
        ratings(traffic, 24).forEach(feedback::add);

        ExperimentReport expected = fromRecords(requests, feedback);
        ExperimentReport actual = fromSums(requests, feedback);
        assertThat(expected.variants()).extracting(ExperimentReport.VariantSummary::requests).allMatch(n -> n > 200);
        assertThat(expected.variants().getFirst().metrics())
                .as("the seeded traffic has every kind of outcome")
                .containsKeys("cost_usd", "tokens", "error_rate", "guard_block_rate", "latency_ms", "groundedness",
                        "retrieval_relevance", "latency_inference_ms", "latency_rerank_ms", "feedback_score", "thumbs_up_rate");
        assertThat(ReportJson.of(actual))
                .as("the same arithmetic over the same observations in the same order gives the same numbers, to the bit")
                .isEqualTo(ReportJson.of(expected));
    }

    @Test
    void sumsFollowRecordsThatAreReplacedAndErased() {
        Database db = open();
        SqlRequestStore requests = new SqlRequestStore(db);
        opened.add(requests);
        SqlFeedbackStore feedback = new SqlFeedbackStore(db);
        List<RequestRecord> traffic = traffic(2000, 31);
        traffic.forEach(requests::record);
        requests.flush();
        // a record written again replaces the first (last write wins): with another variant, or out of the experiment
        List<RequestRecord> again = traffic(400, 32);
        for (int i = 0; i < again.size(); i++) {
            RequestRecord r = again.get(i);
            RequestRecord first = traffic.get(5 * i);
            requests.record(withId(r.toBuilder().time(first.time()).lineage(i % 4 == 0 ? null : r.lineage()).build(), first.id()));
        }
        assertThat(requests.purge(new RequestPurge(null, "u3", null))).isPositive();
        requests.flush();

        assertSame(fromSums(requests, feedback), fromRecords(requests, feedback));
    }

    @Test
    void twoInstancesWritingTheSameVariantsAtOnceLoseNothing() throws Exception {
        SqlRequestStore one = new SqlRequestStore(open(), 1024, 64);
        SqlRequestStore two = new SqlRequestStore(open(), 1024, 64);
        opened.add(one);
        opened.add(two);
        List<RequestRecord> traffic = traffic(3000, 51);
        Thread a = Thread.ofPlatform().start(() -> traffic.subList(0, 1500).forEach(one::record));
        Thread b = Thread.ofPlatform().start(() -> traffic.subList(1500, 3000).forEach(two::record));
        a.join();
        b.join();
        one.flush();
        two.flush();
        assertThat(one.failed() + two.failed()).as("no batch given up on (a deadlock would be retried, then lost)").isZero();
        SqlFeedbackStore feedback = new SqlFeedbackStore(open());
        assertSame(fromSums(one, feedback), fromRecords(two, feedback));
    }

    @Test
    void theSumsOfRowsStoredBeforeTheyWereKeptAreBuiltByTheMigration() throws Exception {
        Database db = open();
        Flyway.configure(Database.class.getClassLoader()).dataSource(db.dataSource())
                .locations("classpath:db/requests/" + db.dialect().folder()).table("flyway_requests")
                .baselineOnMigrate(true).baselineVersion("0").target("4").load().migrate();
        List<RequestRecord> traffic = traffic(1500, 41);
        db.inTransaction(c -> {
            insertBare(c, traffic);
            return null;
        });
        SqlRequestStore requests = new SqlRequestStore(db);           // migrates to the latest version
        opened.add(requests);
        SqlFeedbackStore feedback = new SqlFeedbackStore(db);
        ExperimentReport built = fromSums(requests, feedback);
        assertThat(built.variants().getFirst().requests()).isPositive();
        assertSame(built, fromRecords(requests, feedback));

        traffic(500, 42).stream().map(r -> withId(r, "n" + r.id())).forEach(requests::record);
        assertSame(fromSums(requests, feedback), fromRecords(requests, feedback));
    }

    private static RequestRecord withId(RequestRecord r, String id) {
        return new RequestRecord(id, r.time(), r.route(), r.caller(), r.status(), r.error(), r.question(), r.answer(), r.usage(),
                r.timings(), r.lineage(), r.citations(), r.context(), r.findings(), r.quality());
    }

    /** The columns the report reads, written as a version-4 request log held them. */
    private static void insertBare(Connection c, List<RequestRecord> records) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO requests (id, time_ms, route, tenant, status, experiment, "
                + "variant, retrieval, prompt_tokens, completion_tokens, estimated, cost_nanos, cost_usd, timings, citations, "
                + "context, findings, groundedness, top_score) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, 0, 0, ?, ?, '[]', '[]', '[]', ?, ?)")) {
            for (RequestRecord r : records) {
                int i = 0;
                ps.setString(++i, r.id());
                ps.setLong(++i, r.time().toEpochMilli());
                ps.setString(++i, r.route());
                ps.setString(++i, r.caller().tenant());
                ps.setString(++i, r.status());
                ps.setString(++i, r.lineage().experiment());
                ps.setString(++i, r.lineage().variant());
                ps.setLong(++i, r.usage().promptTokens());
                ps.setLong(++i, r.usage().completionTokens());
                ps.setDouble(++i, r.usage().costUsd());
                StringBuilder t = new StringBuilder("{");
                r.timings().nanos().forEach((k, v) -> t.append(t.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
                ps.setString(++i, t.append('}').toString());
                ps.setObject(++i, r.quality().groundedness());
                ps.setObject(++i, r.quality().topScore());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Equal but for rounding: counts and texts exactly, numbers to 1e-9 relative (1e-12 absolute near zero). */
    static void assertSame(ExperimentReport actual, ExperimentReport expected) {
        assertClose(ReportJson.of(actual), ReportJson.of(expected), "report");
    }

    private static void assertClose(JsonNode a, JsonNode e, String at) {
        if (e.isFloatingPointNumber() && a.isNumber()) {
            double x = a.asDouble();
            double y = e.asDouble();
            assertThat(Math.abs(x - y)).as(at + ": " + x + " vs " + y).isLessThanOrEqualTo(1e-12 + 1e-9 * Math.abs(y));
            return;
        }
        if (e.isTextual() && at.startsWith("report.verdicts")) {
            // the verdicts print rounded percentages and counts; compare them as they read
            assertThat(a.asText()).as(at).isEqualTo(e.asText());
            return;
        }
        if (!e.isContainerNode()) {
            assertThat(a).as(at).isEqualTo(e);
            return;
        }
        assertThat(a.size()).as(at + " size").isEqualTo(e.size());
        if (e.isArray()) {
            for (int i = 0; i < e.size(); i++) assertClose(a.get(i), e.get(i), at + "[" + i + "]");
            return;
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            assertThat(a.has(f)).as(at + "." + f + " present").isTrue();
            assertClose(a.get(f), e.get(f), at + "." + f);
        }
    }
}
