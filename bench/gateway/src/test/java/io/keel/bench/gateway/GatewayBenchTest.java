package io.keel.bench.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayBenchTest {
    @Test
    void measuresEveryScenarioOnBothPathsWithoutErrors() throws Exception {
        List<GatewayBench.Comparison> results = GatewayBench.run(List.of("chat", "stream", "embeddings"), new int[] {2},
                Duration.ofMillis(800), Duration.ZERO, Duration.ofMillis(300));
        assertThat(results).hasSize(3).allSatisfy(c -> {
            assertThat(c.direct().requests()).isPositive();
            assertThat(c.keel().requests()).isPositive();
            assertThat(c.direct().errors() + c.keel().errors()).isZero();
            assertThat(c.keel().p50()).isPositive();
        });
        assertThat(GatewayBench.table(results)).contains("| stream | 2 |");
    }
}
