package io.keel.bench.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.embed.onnx.OnnxEmbedder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Query embedding latency while a bulk push embeds documents, with the embedder's queries-first scheduling on and off,
 * against the latency with nothing else running; alternating rounds so the noise of a shared machine hits both.
 * Documents: SciFact abstracts ({@code ../shared/datasets/scifact/corpus.jsonl}), cut into sentence groups of about
 * 100 words; queries: unique sentences (the query cache never hits).
 *
 * <p>{@code java -cp ... io.keel.bench.streaming.QueryLatencyUnderPushBench [documents] [rounds]}
 */
public final class QueryLatencyUnderPushBench {
    private QueryLatencyUnderPushBench() {
    }

    public static void main(String[] args) throws Exception {
        int documents = args.length > 0 ? Integer.parseInt(args[0]) : 1_500;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<String> texts = texts(Path.of("../shared/datasets/scifact/corpus.jsonl"), documents);
        try (OnnxEmbedder embedder = OnnxEmbedder.createDefault()) {
            embedder.embedAll(texts.subList(0, 64)); // warm-up: sessions, JIT
            for (int i = 0; i < 50; i++) embedder.embedQuery("warm-up question " + i);
            List<Double> idle = new ArrayList<>();
            List<Double> on = new ArrayList<>();
            List<Double> off = new ArrayList<>();
            List<Double> pushOn = new ArrayList<>();
            List<Double> pushOff = new ArrayList<>();
            int q = 0;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < 100; i++) idle.add(time(embedder, "idle " + r + " question " + q++));
                for (boolean first : new boolean[]{true, false}) {
                    embedder.queriesFirst(first);
                    long start = System.nanoTime();
                    CompletableFuture<List<float[]>> push = CompletableFuture.supplyAsync(() -> embedder.embedAll(texts));
                    while (!push.isDone()) {
                        (first ? on : off).add(time(embedder, "round " + r + " question " + q++ + " about proteins"));
                        Thread.sleep(20);
                    }
                    push.join();
                    (first ? pushOn : pushOff).add((System.nanoTime() - start) / 1e9);
                }
            }
            System.out.printf("documents %d, rounds %d, yields %d%n", texts.size(), rounds, embedder.documentBatchesYielded());
            System.out.printf("idle              queries %5d  p50 %6.1f ms  p99 %6.1f ms%n", idle.size(), pct(idle, 50), pct(idle, 99));
            System.out.printf("push, queries 1st queries %5d  p50 %6.1f ms  p99 %6.1f ms  push median %.1f s%n", on.size(), pct(on, 50), pct(on, 99), pct(pushOn, 50));
            System.out.printf("push, no priority queries %5d  p50 %6.1f ms  p99 %6.1f ms  push median %.1f s%n", off.size(), pct(off, 50), pct(off, 99), pct(pushOff, 50));
        }
    }

    private static double time(OnnxEmbedder embedder, String text) {
        long t = System.nanoTime();
        embedder.embedQuery(text);
        return (System.nanoTime() - t) / 1e6;
    }

    private static double pct(List<Double> values, int p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    /** Sentence groups of about 100 words from the corpus's abstracts, {@code n} of them. */
    private static List<String> texts(Path corpus, int n) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(corpus)) {
            JsonNode doc = json.readTree(line);
            String[] words = doc.path("text").asText().split("\\s+");
            for (int i = 0; i + 20 < words.length && out.size() < n; i += 100) {
                out.add(String.join(" ", Arrays.copyOfRange(words, i, Math.min(words.length, i + 100))));
            }
            if (out.size() >= n) break;
        }
        return out;
    }
}
