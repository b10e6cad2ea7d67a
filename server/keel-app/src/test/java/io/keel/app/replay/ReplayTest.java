package io.keel.app.replay;

import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.app.config.GeneratorConfig;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Answer;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.query.Filters;
import io.keel.ingest.ProgressListener;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.Stage;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Replay end to end: originals answered by one fake model server and logged through the real pipeline, replayed
 * against a second registered version behind a fake server that answers longer, dearer and with unsupported claims.
 */
class ReplayTest {
    private static final String ORIGINAL_ANSWER = "Customer records are kept for seven years after the contract ends [1].";
    private static final String CANDIDATE_ANSWER = "Customer records are kept for seven years after the contract ends [1]. "
            + "Every employee also receives a free electric car after twenty years of loyal service. "
            + "The cafeteria serves complimentary sushi on Fridays for all visiting auditors.";
    private static final List<String> QUESTIONS = List.of("How long are customer records kept?",
            "When are backups deleted?", "What happens to customer records after the contract ends?");

    private static Path dir;
    private static FakeOpenAiServer originalServer;
    private static FakeOpenAiServer candidateServer;
    private static Keel keel;
    private static Instant from;
    private static Instant to;
    private static ModelVersion candidate;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("keel-replay-test");
        Path docs = Files.createDirectories(dir.resolve("policies"));
        Files.writeString(docs.resolve("retention.md"), """
                # Data retention

                Customer records are kept for seven years after the contract ends. Backups are deleted after ninety days.
                """);
        originalServer = new FakeOpenAiServer();
        originalServer.defaultReply(Reply.text(ORIGINAL_ANSWER).withUsage(100, 20));
        candidateServer = new FakeOpenAiServer();
        candidateServer.defaultReply(Reply.text(CANDIDATE_ANSWER).withUsage(400, 200).withFirstByteDelay(Duration.ofMillis(30)));

        KeelConfig base = KeelConfig.defaults().withDataDir(dir.resolve("data"));
        KeelConfig config = base.withModels(List.of(model(originalServer)),
                new GeneratorConfig("m", false, null, null, base.generator().extractive()));
        keel = Keel.open(config);
        keel.ingest(List.of(docs), null, ProgressListener.NONE);
        from = Instant.now().minusSeconds(1);
        for (String q : QUESTIONS) {
            Answer a = keel.query(new QueryInput(q, null, null, Filters.NONE, null), "/v1/query");
            assertThat(a.text()).isEqualTo(ORIGINAL_ANSWER);
        }
        // Not replayed: another route.
        keel.query(new QueryInput("Which route is this?", null, null, Filters.NONE, null), "cli:ask");
        to = Instant.now().plusSeconds(1);
        candidate = keel.registry().register(new RegisterRequest(model(candidateServer), "candidate", Stage.DEVELOPMENT), "test");
    }

    private static Map<String, Object> model(FakeOpenAiServer server) {
        return server.modelEntry("m");
    }

    @AfterAll
    static void stop() {
        if (keel != null) keel.close();
        if (originalServer != null) originalServer.close();
        if (candidateServer != null) candidateServer.close();
    }

    private static ReplaySpec spec(String candidateRef) {
        return ReplaySpec.of(from.toString(), to.toString(), candidateRef, false, null, null);
    }

    @Test
    void aTenantsReplayReadsOnlyThatTenantsRequests() {
        EvaluationRun own = new Replayer(keel).run(spec("model=m@2").withTenant(io.keel.core.answer.Caller.DEFAULT_TENANT));
        assertThat(own.summary().requests()).isEqualTo(3);
        assertThat(own.spec().tenant()).isEqualTo(io.keel.core.answer.Caller.DEFAULT_TENANT);
        assertThat(ReplaySpec.fromJson(own.spec().toJson())).isEqualTo(own.spec());
        EvaluationRun other = new Replayer(keel).run(spec("model=m@2").withTenant("globex"));
        assertThat(other.summary().requests()).isZero();
        assertThat(other.rows()).isEmpty();
    }

    @Test
    void aCandidateThatAnswersDifferentlyIsReportedWithItsDifferences() {
        assertThat(candidate.version()).isEqualTo(2);
        EvaluationRun run = new Replayer(keel).run(spec("model=m@2"));
        ReplaySummary s = run.summary();

        assertThat(run.id()).matches("eval_[0-9a-f]{16}");
        assertThat(s.requests()).isEqualTo(3);
        assertThat(s.replayed()).as("rows: %s", run.rows()).isEqualTo(3);
        assertThat(s.errors()).isZero();
        assertThat(run.rows()).extracting(ReplayRow::question).containsExactlyElementsOf(QUESTIONS);

        ReplayRow row = run.rows().getFirst();
        assertThat(row.original().model()).isEqualTo("m@1");
        assertThat(row.candidate().model()).isEqualTo("m@2");
        assertThat(row.original().answer()).isEqualTo(ORIGINAL_ANSWER);
        assertThat(row.candidate().answer()).isEqualTo(CANDIDATE_ANSWER);
        assertThat(row.original().promptTokens()).isEqualTo(100);
        assertThat(row.candidate().promptTokens()).isEqualTo(400);
        assertThat(row.candidate().completionTokens()).isEqualTo(200);
        assertThat(row.candidate().costUsd()).isGreaterThan(row.original().costUsd());
        assertThat(row.contextChunks()).isPositive();
        assertThat(row.candidate().generationMs()).isGreaterThanOrEqualTo(30);
        assertThat(row.original().latencyMs()).isPositive().isGreaterThanOrEqualTo(row.original().generationMs());
        assertThat(row.candidate().latencyMs()).isGreaterThanOrEqualTo(row.candidate().generationMs());
        assertThat(s.deltas().latencyPct()).isNotNull();

        // 100 x $1 + 20 x $2 per 1M against 400 x $1 + 200 x $2 per 1M: +471.4%
        assertThat(s.original().costUsd()).isCloseTo(3 * 140e-6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.candidate().costUsd()).isCloseTo(3 * 800e-6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.deltas().costPct()).isCloseTo(471.43, org.assertj.core.data.Offset.offset(0.01));
        assertThat(s.deltas().tokensPct()).isCloseTo(400.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(s.candidate().totalTokens()).isGreaterThan(s.original().totalTokens());

        assertThat(s.original().meanGroundedness()).isEqualTo(1.0);
        assertThat(s.candidate().meanGroundedness()).isLessThan(s.original().meanGroundedness());
        assertThat(s.deltas().groundedness()).isNegative();
        assertThat(s.meanSimilarity()).isLessThan(1.0).isGreaterThan(0.0);
        assertThat(row.similarity()).isLessThan(1.0);
    }

    @Test
    void theRunIsStoredAndReadBack() {
        EvaluationRun run = new Replayer(keel).run(spec("model=m@2"));
        GateVerdict verdict = Gate.parse("max_cost_increase_pct: 10\n", "test").evaluate(run.summary());
        EvaluationStore store = new EvaluationStore(keel.database());
        store.save(run.withVerdict(verdict));

        EvaluationRun back = store.get(run.id()).orElseThrow();
        assertThat(back.createdAt()).isEqualTo(run.createdAt());
        assertThat(back.spec()).isEqualTo(run.spec());
        assertThat(back.summary()).isEqualTo(run.summary());
        assertThat(back.rows()).isEqualTo(run.rows());
        assertThat(back.verdict()).isEqualTo(verdict);
        assertThat(back.passed()).isFalse();
        assertThat(store.list(10)).extracting(EvaluationRun::id).contains(run.id());
        assertThat(store.list(10).getFirst().rows()).isEmpty();
        assertThat(store.get("eval_0000000000000000")).isEmpty();
        assertThat(EvaluationJson.run(back, true).get("rows")).hasSize(3);
    }

    @Test
    void aStrictGateFailsTheCandidateAndALenientOnePassesIt() {
        ReplaySummary s = new Replayer(keel).run(spec("model=m@2")).summary();

        GateVerdict strict = Gate.parse("max_cost_increase_pct: 10\nmin_answer_similarity: 0.5\n", "strict").evaluate(s);
        assertThat(strict.passed()).isFalse();
        assertThat(strict.failures()).extracting(GateVerdict.Check::name).containsExactly("max_cost_increase_pct");
        assertThat(strict.failures().getFirst().message()).contains("+471.4%").contains("+10.0%");

        GateVerdict lenient = Gate.parse("""
                max_cost_increase_pct: 1000
                max_tokens_increase_pct: 1000
                max_error_rate: 0
                min_answer_similarity: 0.1
                """, "lenient").evaluate(s);
        assertThat(lenient.passed()).as("%s", lenient).isTrue();
    }

    @Test
    void withoutACandidateModelEachRequestIsReRunOnTheModelThatAnsweredIt() {
        EvaluationRun run = new Replayer(keel).run(spec(null));
        assertThat(run.summary().replayed()).isEqualTo(3);
        assertThat(run.rows()).allSatisfy(r -> {
            assertThat(r.candidate().model()).isEqualTo("m@1");
            assertThat(r.candidate().prompt()).isEqualTo(r.original().prompt());
            assertThat(r.candidate().answer()).isEqualTo(ORIGINAL_ANSWER);
            assertThat(r.similarity()).isGreaterThan(0.999);
            assertThat(r.changed()).isFalse();
        });
        assertThat(run.summary().deltas().costPct()).isZero();
        assertThat(run.summary().changedShare()).isZero();
    }

    @Test
    void reRetrievalSearchesTheIndexAgain() {
        EvaluationRun run = new Replayer(keel).run(ReplaySpec.of(from.toString(), to.toString(), "model=m@2", true, 2, null));
        assertThat(run.summary().requests()).isEqualTo(2);
        assertThat(run.summary().replayed()).isEqualTo(2);
        assertThat(run.rows()).allSatisfy(r -> assertThat(r.contextChunks()).isPositive());
        // The newest two, oldest first.
        assertThat(run.rows()).extracting(ReplayRow::question).containsExactlyElementsOf(QUESTIONS.subList(1, 3));
    }

    @Test
    void aFailingCandidateBecomesErrorRowsNotACrash() {
        Map<String, Object> dead = Map.of("name", "dead", "provider", "openai", "model", "gpt-4o-mini",
                "endpoints", List.of("http://127.0.0.1:1/v1"), "retry", Map.of("max_attempts", 1));
        keel.registry().register(new RegisterRequest(dead, null, Stage.DEVELOPMENT), "test");
        EvaluationRun run = new Replayer(keel).run(spec("model=dead@1"));
        assertThat(run.summary().requests()).isEqualTo(3);
        assertThat(run.summary().errors()).isEqualTo(3);
        assertThat(run.summary().errorRate()).isEqualTo(1.0);
        assertThat(run.rows()).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo("error");
            assertThat(r.error()).isNotBlank();
            assertThat(r.candidate()).isNull();
        });
        GateVerdict v = Gate.parse("max_error_rate: 0.1", "g").evaluate(run.summary());
        assertThat(v.passed()).isFalse();
        assertThat(v.failures()).extracting(GateVerdict.Check::name).contains("replayed", "max_error_rate");
    }

    @Test
    void anUnknownCandidateIsAUsageErrorBeforeAnythingRuns() {
        assertThatThrownBy(() -> new Replayer(keel).run(spec("model=m@9")))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("m@9");
        assertThatThrownBy(() -> new Replayer(keel).run(spec("model=nope")))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> new Replayer(keel).run(spec("prompt=rag-answer@production")))
                .isInstanceOfSatisfying(KeelException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("rag-answer@production").hasMessageContaining("prompt store");
    }
}
