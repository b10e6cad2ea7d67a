package io.keel.embed.onnx;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class QueryPriorityTest {

    @Test
    void aDocumentBatchRunsAtOnceWhenNoQueryIsPending() throws Exception {
        QueryPriority p = QueryPriority.ofMillis(10_000);
        long start = System.nanoTime();
        p.awaitDocumentTurn();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(p.yields()).isZero();
    }

    @Test
    void aDocumentBatchWaitsUntilThePendingQueryIsDone() throws Exception {
        QueryPriority p = QueryPriority.ofMillis(30_000);
        p.queryStarted();
        CompletableFuture<Void> document = CompletableFuture.runAsync(() -> {
            try {
                p.awaitDocumentTurn();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertThat(document).isNotDone();
        p.queryDone();
        document.get(5, TimeUnit.SECONDS);
        assertThat(p.yields()).isEqualTo(1);
        assertThat(p.pending()).isZero();
    }

    @Test
    void theWaitIsBoundedSoQueriesNeverStarveIngestion() throws Exception {
        QueryPriority p = QueryPriority.ofMillis(100);
        p.queryStarted();
        long start = System.nanoTime();
        p.awaitDocumentTurn();
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waited).isBetween(90L, 5_000L);
        assertThat(p.pending()).isEqualTo(1);
    }
}
