package io.keel.cli;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Usage;
import io.keel.core.spi.Feedback;
import io.keel.core.spi.RequestRecord;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlFeedbackStore;
import io.keel.store.sql.SqlRequestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code keel experiments report} on a real SQLite store: a cheaper arm is found cheaper, feedback counts. */
class ExperimentsCommandTest {
    @TempDir
    Path dir;

    @Test
    void reportsTheCheaperArmWithAVerdictAndTheSampleRatio() throws Exception {
        Path experiments = Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(experiments.resolve("models.yaml"), """
                name: models
                unit: user
                variants:
                  - name: big
                  - name: small
                """);
        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, "data_dir: " + dir.resolve("data") + "\nexperiments:\n  dir: " + experiments + "\n");
        Random rnd = new Random(7);
        try (Database db = Database.sqlite(dir.resolve("data").resolve("keel.db")); SqlRequestStore store = new SqlRequestStore(db)) {
            SqlFeedbackStore feedback = new SqlFeedbackStore(db);
            for (int i = 0; i < 600; i++) {
                String v = i % 2 == 0 ? "big" : "small";
                double cost = (v.equals("big") ? 0.010 : 0.007) + 0.002 * rnd.nextGaussian();
                store.record(RequestRecord.builder("r" + i, "chat").time(Instant.EPOCH.plusSeconds(i))
                        .caller(new Caller("acme", "u" + i, null, null)).usage(new Usage(100, 50, 0, Math.max(0, cost), false))
                        .lineage(new Lineage(null, null, "m", "1", null, null, null, "models", v, Map.of())).build());
                if (i % 3 == 0) {
                    feedback.add(new Feedback("r" + i, "models", v, null, rnd.nextDouble(), null, null, Instant.EPOCH));
                }
            }
        }

        CliRun r = run("experiments", "report", "models", "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("small vs big:").contains("cost_usd").contains("feedback_score").contains("SRM: ok")
                .containsPattern("verdict small: small is cheaper by [23]\\d %");

        CliRun json = run("experiments", "report", "models", "--json", "--config", config.toString());
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).contains("\"srm\"").contains("\"p_value_sequential\"");

        CliRun missing = run("experiments", "report", "nope", "--config", config.toString());
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("no experiment named 'nope'");
    }

    @Test
    void createStartListStopAndPromoteAStoredExperimentEachAudited() throws Exception {
        Path config = dir.resolve("keel.yaml");
        Files.writeString(config, "data_dir: " + dir.resolve("data") + "\n");
        Path file = dir.resolve("modes.yaml");
        Files.writeString(file, "name: modes\nunit: user\nvariants:\n  - name: hybrid\n  - name: bm25\n    overrides: {retrieval: {mode: bm25}}\n");
        String cfg = "--config=" + config;

        assertThat(run("experiments", "create", file.toString(), "--as", "alice", cfg).out()).contains("created modes (draft)");
        CliRun again = run("experiments", "create", file.toString(), "--as", "alice", cfg);
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("experiment 'modes' already exists");
        assertThat(run("experiments", "list", cfg).out()).containsPattern("modes\\s+draft\\s+user\\s+hybrid, bm25\\s+alice");

        assertThat(run("experiments", "start", "modes", "--as", "alice", cfg).out()).contains("started modes");
        CliRun twice = run("experiments", "start", "modes", "--as", "alice", cfg);
        assertThat(twice.exit()).isNotZero();
        assertThat(twice.err()).contains("is running; only a draft can be started");

        CliRun promoted = run("experiments", "promote", "modes", "bm25", "--as", "bob", cfg);
        assertThat(promoted.exit()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("promoted bm25 of modes").contains("to do:   set retrieval.mode: bm25 in keel.yaml");
        assertThat(run("experiments", "list", cfg).out()).containsPattern("modes\\s+promoted\\s+user\\s+hybrid, bm25\\s+bob");

        CliRun audit = run("audit", "list", cfg);
        assertThat(audit.out()).contains("experiment.created").contains("experiment.started").contains("experiment.promoted");
    }
}
