package io.keel.model;

import io.keel.core.error.KeelException;
import io.keel.test.FakeOpenAiServer;
import io.keel.test.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Embedding models get the chat pools' resilience: several endpoints, retries, breakers. */
class EmbeddingPoolTest {
    private static ModelGateway gateway(FakeOpenAiServer... servers) {
        List<String> endpoints = java.util.Arrays.stream(servers).map(s -> s.baseUri() + "/v1").toList();
        return ModelGateway.fromConfig(List.of(Map.of("name", "e5", "kind", "embedding", "provider", "openai",
                "model", "intfloat/e5-small", "endpoints", endpoints,
                "retry", Map.of("max_attempts", 2, "backoff", "1ms", "max_backoff", "2ms"),
                "breaker", Map.of("failures", 2, "open_for", "30s"))), k -> null, ModelCallListener.NONE);
    }

    @Test
    void aFailingReplicaIsRetriedOnTheOtherAndThenEjected() {
        try (FakeOpenAiServer broken = new FakeOpenAiServer().defaultReply(Reply.status(503, "overloaded"));
             FakeOpenAiServer healthy = new FakeOpenAiServer();
             ModelGateway g = gateway(broken, healthy)) {
            EmbeddingPool pool = g.embeddingModel("e5").orElseThrow();
            // the balancer picks between two idle replicas at random: go on until the broken one was tried twice
            int sent = 0;
            while (broken.requests("/embeddings").size() < 2 && sent < 200) {
                assertThat(pool.embed(List.of("text " + sent++)).vectors()).as("retried on the healthy replica").hasSize(1);
            }
            assertThat(healthy.requests("/embeddings")).hasSize(sent);
            assertThat(pool.replicas().stream().map(Replica::state)).contains(Replica.State.OPEN);

            for (int i = 0; i < 6; i++) pool.embed(List.of("after " + i));
            assertThat(broken.requests("/embeddings")).as("ejected once its breaker opened").hasSize(2);
            assertThat(healthy.requests("/embeddings")).hasSize(sent + 6);
        }
    }

    @Test
    void aClientErrorIsNotRetried() {
        try (FakeOpenAiServer a = new FakeOpenAiServer().defaultReply(Reply.status(400, "bad input"));
             FakeOpenAiServer b = new FakeOpenAiServer().defaultReply(Reply.status(400, "bad input"));
             ModelGateway g = gateway(a, b)) {
            assertThatThrownBy(() -> g.embeddingModel("e5").orElseThrow().embed(List.of("x"))).isInstanceOf(KeelException.class);
            assertThat(a.requests("/embeddings").size() + b.requests("/embeddings").size()).isEqualTo(1);
        }
    }
}
