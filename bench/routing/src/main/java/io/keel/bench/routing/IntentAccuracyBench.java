package io.keel.bench.routing;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.routing.intent.IntentClassifier;
import io.keel.routing.intent.IntentExamples;
import io.keel.routing.intent.IntentPrediction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Intent classification on Banking77: the classifier is trained on {@code train.csv} only (10,003 utterances, 77
 * intents) and scored on {@code test.csv} (3,080). Reports accuracy, training time, and the classification latency
 * per query with the query's embedding already computed (the route stage embeds the question once and shares the
 * vector), next to the latency of that embedding itself.
 *
 * <pre>
 * java -cp ... io.keel.bench.routing.IntentAccuracyBench [bench/routing/testdata/banking77]
 * </pre>
 */
public final class IntentAccuracyBench {
    private IntentAccuracyBench() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/routing/testdata/banking77");
        List<IntentExamples.Example> train = IntentExamples.readCsv(dir.resolve("train.csv"));
        List<IntentExamples.Example> test = IntentExamples.readCsv(dir.resolve("test.csv"));
        System.out.printf(Locale.ROOT, "Banking77: %d train, %d test utterances, %d intents%n", train.size(), test.size(),
                train.stream().map(IntentExamples.Example::label).distinct().count());
        try (OnnxEmbedder embedder = OnnxEmbedder.createDefault()) {
            long t0 = System.nanoTime();
            List<String> texts = new java.util.ArrayList<>(train.stream().map(IntentExamples.Example::text).toList());
            texts.addAll(test.stream().map(IntentExamples.Example::text).toList());
            List<float[]> all = VectorCache.embed(texts, embedder, Path.of("bench/routing/target/banking77-" + embedder.info().id() + ".vec"));
            List<IntentClassifier.LabeledVector> trainVectors = new java.util.ArrayList<>();
            for (int i = 0; i < train.size(); i++) trainVectors.add(new IntentClassifier.LabeledVector(train.get(i).label(), all.get(i)));
            List<float[]> testVectors = all.subList(train.size(), all.size());
            System.out.printf(Locale.ROOT, "embedded %d utterances (%s) in %.1f s (vectors cached under bench/routing/target)%n",
                    texts.size(), embedder.info().id(), (System.nanoTime() - t0) / 1e9);

            // the embedding a request pays once, for reference
            long[] embedNanos = new long[300];
            for (int i = 0; i < 50; i++) embedder.embedQuery("warm up " + i);
            for (int i = 0; i < embedNanos.length; i++) {
                String q = test.get(i * 7 % test.size()).text() + " #" + i;   // distinct text: no cache hits
                long s = System.nanoTime();
                embedder.embedQuery(q);
                embedNanos[i] = System.nanoTime() - s;
            }
            System.out.printf(Locale.ROOT, "query embedding (MiniLM, once per request): p50 %.3f ms, p99 %.3f ms%n",
                    pct(embedNanos, 50) / 1e6, pct(embedNanos, 99) / 1e6);

            System.out.println();
            System.out.println("| classifier | accuracy | train time | classify p50 | classify p99 |");
            System.out.println("|---|---|---|---|---|");
            IntentClassifier.Options defaults = IntentClassifier.Options.DEFAULTS;
            // few-shot: the first 10 training utterances of each intent, the size of a hand-written routing file
            List<IntentClassifier.LabeledVector> tenShot = new java.util.ArrayList<>();
            java.util.Map<String, Integer> taken = new java.util.HashMap<>();
            for (IntentClassifier.LabeledVector v : trainVectors) {
                if (taken.merge(v.label(), 1, Integer::sum) <= 10) tenShot.add(v);
            }
            run("kNN, k=5", IntentClassifier.Method.KNN, defaults, trainVectors, test, testVectors);
            run("kNN, k=10", IntentClassifier.Method.KNN, new IntentClassifier.Options(10, 1, 0, 42), trainVectors, test, testVectors);
            run("kNN, k=1", IntentClassifier.Method.KNN, new IntentClassifier.Options(1, 1, 0, 42), trainVectors, test, testVectors);
            run("10 per intent: kNN, k=5", IntentClassifier.Method.KNN, defaults, tenShot, test, testVectors);
            run("10 per intent: logistic regression (40 epochs)", IntentClassifier.Method.LOGISTIC, defaults, tenShot, test, testVectors);
            run("logistic regression (40 epochs)", IntentClassifier.Method.LOGISTIC, defaults, trainVectors, test, testVectors);
        }
    }

    private static void run(String name, IntentClassifier.Method method, IntentClassifier.Options options,
                            List<IntentClassifier.LabeledVector> train, List<IntentExamples.Example> test, List<float[]> testVectors) {
        long t0 = System.nanoTime();
        IntentClassifier c = IntentClassifier.train(method, train, options);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            if (test.get(i).label().equals(c.classify(testVectors.get(i)).intent())) correct++;
        }
        // warm the classifier, then time each call on its own
        for (int round = 0; round < 3; round++) for (float[] v : testVectors) sink ^= c.classify(v).intent().hashCode();
        long[] nanos = new long[testVectors.size()];
        for (int i = 0; i < nanos.length; i++) {
            long s = System.nanoTime();
            IntentPrediction p = c.classify(testVectors.get(i));
            nanos[i] = System.nanoTime() - s;
            sink ^= p.intent().hashCode();
        }
        System.out.printf(Locale.ROOT, "| %s | %.2f%% (%d/%d) | %.1f s | %.3f ms | %.3f ms |%n", name, 100.0 * correct / test.size(),
                correct, test.size(), trainSeconds, pct(nanos, 50) / 1e6, pct(nanos, 99) / 1e6);
    }

    static volatile int sink;

    static long pct(long[] values, int p) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
