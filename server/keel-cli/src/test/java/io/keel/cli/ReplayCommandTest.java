package io.keel.cli;

import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.app.config.KeelConfig;
import io.keel.core.query.Filters;
import io.keel.ingest.ProgressListener;
import io.keel.registry.RegisterRequest;
import io.keel.registry.Stage;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static io.keel.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keel replay} as a release gate: traffic logged by one model version, a dearer candidate version registered
 * beside it, and the command's exit code with a strict and a lenient threshold file.
 */
class ReplayCommandTest {
    private static Path dir;
    private static Path config;
    private static FakeOpenAiServer original;
    private static FakeOpenAiServer candidate;
    private static String from;
    private static String to;

    @BeforeAll
    static void logTrafficAndRegisterACandidate() throws Exception {
        dir = Files.createTempDirectory("keel-replay-cli");
        Path docs = Files.createDirectories(dir.resolve("docs"));
        Files.writeString(docs.resolve("leave.md"), "# Leave\n\nEmployees get 28 days of paid leave per year.\n");
        original = new FakeOpenAiServer().defaultReply(Reply.text("Employees get 28 days of paid leave [1].").withUsage(100, 10));
        candidate = new FakeOpenAiServer().defaultReply(Reply.text("Employees get 28 days of paid leave [1]. "
                + "They also get a company yacht every spring.").withUsage(300, 60));
        config = dir.resolve("keel.yaml");
        Files.writeString(config, """
                data_dir: %s
                generator: {model: answerer}
                models:
                  - {name: answerer, provider: openai, model: gpt-4o-mini, endpoints: ["%s/v1"], retry: {max_attempts: 1},
                     price: {input_per_1m: 1.0, output_per_1m: 2.0}}
                """.formatted(dir.resolve("data"), original.baseUri()));
        KeelConfig c = KeelConfig.load(config);
        try (Keel keel = Keel.open(c)) {
            keel.ingest(List.of(docs), null, ProgressListener.NONE);
            from = Instant.now().minusSeconds(1).toString();
            for (String q : List.of("How many days of paid leave do employees get?", "How much paid leave is there per year?")) {
                keel.query(new QueryInput(q, null, null, Filters.NONE, null), "/v1/query");
            }
            to = Instant.now().plusSeconds(1).toString();
            keel.registry().register(new RegisterRequest(candidate.modelEntry("answerer"), "candidate", Stage.DEVELOPMENT), "test");
        }
    }

    @AfterAll
    static void stop() {
        original.close();
        candidate.close();
    }

    @Test
    void aGateTheCandidateRegressesOnExitsOne() throws Exception {
        Path gate = Files.writeString(dir.resolve("strict.yaml"), "max_cost_increase_pct: 10\n");
        CliRun r = run("replay", "--config", config.toString(), "--from", from, "--to", to,
                "--candidate", "model=answerer@2", "--gate", gate.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.out() + r.err()).contains("max_cost_increase_pct");
    }

    @Test
    void aLenientGatePasses() throws Exception {
        Path gate = Files.writeString(dir.resolve("lenient.yaml"), "max_cost_increase_pct: 1000\nmax_error_rate: 0.5\n");
        CliRun r = run("replay", "--config", config.toString(), "--from", from, "--to", to,
                "--candidate", "model=answerer@2", "--gate", gate.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aMalformedCandidateIsBadUsage() {
        CliRun r = run("replay", "--config", config.toString(), "--from", from, "--to", to, "--candidate", "model");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.USAGE);
    }
}
