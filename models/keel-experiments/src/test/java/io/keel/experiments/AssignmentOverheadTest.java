package io.keel.experiments;

import io.keel.core.answer.Caller;
import io.keel.core.pipeline.QueryRequest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small loop benchmark of assignment: three running experiments (two layers, one with a holdout and targeting),
 * time per {@code resolve} call after a warm-up. The number is printed for BENCHMARKS.md; the bound is loose because
 * the machine may be shared.
 */
class AssignmentOverheadTest {
    @Test
    void assignmentP50IsWellUnderTwentyMicroseconds() {
        String a = "name: a\nlayer: {name: prompts, range: [0, 50]}\nholdout: 5\n"
                + "targeting: {tenants: [acme]}\nvariants: [{name: c}, {name: t, overrides: {prompt: p@2}}]\n";
        String b = "name: b\nlayer: {name: prompts, range: [50, 100]}\nvariants: [{name: c}, {name: t, overrides: {prompt: p@3}}]\n";
        ExperimentResolver r = ExperimentResolverTest.resolver(Clock.systemUTC(), a, b, ExperimentResolverTest.THREE_ARMS);
        int n = 200_000;
        QueryRequest[] requests = new QueryRequest[1_000];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = ExperimentResolverTest.request(new Caller("acme", "user-" + i, "app", null), "/v1/query", "r" + i);
        }
        long sink = 0;
        for (int i = 0; i < n; i++) sink += r.resolve(requests[i % requests.length]).name().length(); // warm-up
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            sink += r.resolve(requests[i % requests.length]).name().length();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        double p50 = nanos[n / 2] / 1000.0;
        double p99 = nanos[(int) (n * 0.99)] / 1000.0;
        System.out.printf("Assignment overhead, 3 experiments in 2 layers, %d calls: p50 %.2f us, p99 %.2f us (sink %d)%n", n, p50, p99, sink);
        assertThat(p50).isLessThan(20.0);
    }
}
