package io.keel.server.console;

import io.keel.core.answer.Caller;
import io.keel.core.answer.Lineage;
import io.keel.core.answer.Quality;
import io.keel.core.answer.Timings;
import io.keel.core.answer.Usage;
import io.keel.core.spi.RequestLog;
import io.keel.core.spi.RequestRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded request-log traffic for the console's tests: requests of two tenants, three apps, two models and an
 * experiment's two variants over the last hours, with per-stage timings, token counts and costs, errors, blocked
 * requests and guard findings (prompt injection among them), written through Keel's own (redacting) request log.
 */
final class ConsoleTraffic {
    static final List<String> TENANTS = List.of("acme", "globex");
    static final List<String> APPS = List.of("support-bot", "search", "assistant");
    static final List<String> MODELS = List.of("gpt-small", "gpt-large");

    private ConsoleTraffic() {
    }

    /** Writes {@code n} records ending at {@code end}, one every {@code step}, newest last. */
    static void write(RequestLog log, Random random, int n, Instant end, Duration step) {
        for (int i = 0; i < n; i++) {
            Instant time = end.minus(step.multipliedBy(n - 1 - i));
            log.record(record("req_console_" + String.format("%08d", i), time, random));
        }
    }

    static RequestRecord record(String id, Instant time, Random random) {
        String tenant = TENANTS.get(random.nextInt(10) < 7 ? 0 : 1);
        String app = APPS.get(random.nextInt(APPS.size()));
        String model = MODELS.get(random.nextInt(4) == 0 ? 1 : 0);
        String variant = random.nextInt(10) < 6 ? "control" : "bm25";     // weights are 50/50: a sample-ratio mismatch
        int roll = random.nextInt(100);
        String status = roll < 4 ? "upstream_error" : roll < 8 ? "blocked" : "ok";
        List<String> findings = roll < 6 ? List.of("prompt_injection") : roll < 8 ? List.of("CREDIT_CARD")
                : roll < 15 ? List.of("EMAIL_ADDRESS") : List.of();
        long prompt = 200 + random.nextInt(800);
        long completion = status.equals("ok") ? 20 + random.nextInt(300) : 0;
        double price = model.equals("gpt-large") ? 10.0 : 0.6;
        double cost = Math.round((prompt + completion) * price / 1_000_000.0 * 1e9) / 1e9;
        Map<String, Long> nanos = new LinkedHashMap<>();
        long guardIn = ms(random, 1, 4);
        long embed = ms(random, 2, 10);
        long search = ms(random, 3, 25);
        long inference = status.equals("ok") ? ms(random, 150, 900) : 0;
        long guardOut = status.equals("ok") ? ms(random, 1, 5) : 0;
        nanos.put(Timings.GUARD_INPUT, guardIn);
        nanos.put(Timings.EMBEDDING, embed);
        nanos.put(Timings.VECTOR_SEARCH, search);
        nanos.put(Timings.INFERENCE, inference);
        nanos.put(Timings.GUARD_OUTPUT, guardOut);
        nanos.put(Timings.TOTAL, guardIn + embed + search + inference + guardOut + ms(random, 1, 3));
        Lineage lineage = new Lineage("all-minilm-l6-v2-q@afdb6f1a0e45", "handbook@3", model, model.equals("gpt-large") ? "2" : "1",
                "rag-answer", "1.0.0+53ff1eb1466c", "default@1", "retrieval-mode", variant,
                Map.of("mode", variant.equals("bm25") ? "bm25" : "hybrid", "top_k", 5));
        return RequestRecord.builder(id, "query")
                .time(time)
                .caller(new Caller(tenant, "user-" + random.nextInt(20), app, "chat"))
                .status(status)
                .error(status.equals("upstream_error") ? "the model at http://10.0.0.7/v1 answered 502" : null)
                .question("How do I rotate an API key for " + app + "?")
                .answer(status.equals("ok") ? "Rotate it with POST /v1/keys/{id}/rotate [1]." : null)
                .usage(new Usage(prompt, completion, cost, false))
                .timings(new Timings(nanos))
                .lineage(lineage)
                .citations(status.equals("ok") ? List.of("docs/security.md#3") : List.of())
                .context(status.equals("ok") ? List.of(new RequestRecord.ContextChunk("docs/security.md#3", "docs/security.md", 0.82,
                        "Keys are rotated with POST /v1/keys/{id}/rotate?grace=24h.")) : List.of())
                .findings(findings)
                .quality(status.equals("ok") ? new Quality(0.82, 0.11, 0.2, 0.9, 2, 2) : Quality.NONE)
                .build();
    }

    private static long ms(Random random, int lo, int hi) {
        return (lo + random.nextInt(hi - lo + 1)) * 1_000_000L + random.nextInt(1_000_000);
    }
}
