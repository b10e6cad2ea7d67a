package io.keel.bench.experiments;

import io.keel.core.answer.Caller;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Variant;
import io.keel.core.query.Query;
import io.keel.experiments.ExperimentFiles;
import io.keel.experiments.ExperimentResolver;
import io.keel.experiments.ExperimentSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost the variant stage adds to a request: {@link ExperimentResolver#resolve} over a thousand different users.
 * {@code threeExperiments}: two experiments sharing a layer (one with a holdout and tenant targeting) and a
 * three-arm experiment in a second layer, so each request is hashed for layer, arm and, in the shared layer, range.
 * {@code oneExperiment}: a single two-arm experiment.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AssignmentBenchmark {
    private static final String PROMPTS_A = """
            name: prompt-a
            layer: {name: prompts, range: [0, 50]}
            holdout: 5
            targeting: {tenants: [acme]}
            variants: [{name: c}, {name: t, overrides: {prompt: rag-answer@2}}]
            """;
    private static final String PROMPTS_B = """
            name: prompt-b
            layer: {name: prompts, range: [50, 100]}
            variants: [{name: c}, {name: t, overrides: {prompt: rag-answer@3}}]
            """;
    private static final String RETRIEVAL = """
            name: retrieval-modes
            variants:
              - {name: control, weight: 50}
              - {name: bm25, weight: 30, overrides: {retrieval: {mode: bm25, top_k: 8}}}
              - {name: dense, weight: 20, overrides: {retrieval.mode: dense}}
            """;

    private ExperimentResolver three;
    private ExperimentResolver one;
    private QueryRequest[] requests;
    private int next;

    @Setup
    public void setUp() {
        three = resolver(PROMPTS_A, PROMPTS_B, RETRIEVAL);
        one = resolver(RETRIEVAL);
        requests = new QueryRequest[1024];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = QueryRequest.start("req-" + i, "/v1/query", Query.of("what is keel?", 5),
                    new Caller("acme", "user-" + i, "support", null));
        }
    }

    private static ExperimentResolver resolver(String... files) {
        List<io.keel.experiments.Experiment> list = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) list.add(ExperimentFiles.parse(files[i], "bench-" + i + ".yaml"));
        return new ExperimentResolver(new ExperimentSet(list), Clock.systemUTC(), r -> null);
    }

    @Benchmark
    public Variant threeExperiments() {
        return three.resolve(requests[next++ & 1023]);
    }

    @Benchmark
    public Variant oneExperiment() {
        return one.resolve(requests[next++ & 1023]);
    }
}
