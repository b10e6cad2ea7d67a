package io.keel.guard.eval;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.guard.data.EmbeddingFileCache;
import io.keel.guard.data.GuardDatasets;
import io.keel.guard.data.LabeledText;
import io.keel.guard.injection.BenignQuestions;
import io.keel.guard.injection.BinaryModel;
import io.keel.guard.injection.CrossValidation;
import io.keel.guard.injection.HashedNgrams;
import io.keel.guard.injection.LogisticRegression;
import io.keel.guard.injection.Mlp;
import io.keel.guard.injection.TextNormalizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Compares candidate models for the two guard classifiers by 5-fold out-of-fold curves on the training parts only
 * (never a held-out text): recall at the false-positive constraints each trainer uses.
 *
 * <pre>java -cp ... io.keel.guard.eval.GuardModelSearch ../shared/datasets target/guard-embeddings [injection|safety] [configs...]</pre>
 *
 * A config is {@code lr:L2}, {@code mlp:hidden:epochs:batch:learningRate:weightDecay:dropout:denseScale:sparseScale}
 * ({@link io.keel.guard.injection.Mlp}), {@code res:L2:<the mlp settings>} (a hidden layer on top of a fixed logistic
 * regression), {@code knn:L2:k:scale} (the logistic regression plus similarity to the training attacks),
 * {@code a+b} (mean logit of two), or {@code combine=a,b} (mean logit of two earlier runs' stored out-of-fold
 * scores). System properties: {@code -Dchars=4096} adds character n-grams, {@code -Dxsw=N} weighs XSTest's safe
 * prompts N times (content safety; default 6), {@code -Dtag=...} names the stored scores in {@code target/oof}.
 */
public final class GuardModelSearch {
    record Row(float[] x, int y, double w, String set) {
    }

    private GuardModelSearch() {
    }

    public static void main(String[] args) throws Exception {
        Path datasets = Path.of(args[0]);
        String task = args[2];
        try (EmbeddingFileCache embedder = new EmbeddingFileCache(OnnxEmbedder.createDefault(), Path.of(args[1]))) {
            List<Row> rows = task.equals("injection") ? injectionRows(datasets, embedder) : safetyRows(datasets, embedder);
            System.out.printf(Locale.ROOT, "%s: %d rows, %d positive%n", task, rows.size(), rows.stream().filter(r -> r.y() == 1).count());
            for (int a = 3; a < args.length; a++) {
                long t0 = System.nanoTime();
                double[] oof;
                if (args[a].startsWith("combine=")) {
                    // the mean logit of stored out-of-fold scores: the ensemble's own out-of-fold scores (same folds)
                    String[] parts = args[a].substring(8).split(",");
                    oof = new double[rows.size()];
                    for (String part : parts) {
                        double[] q = read(task, part);
                        for (int i = 0; i < q.length; i++) {
                            double c = Math.min(1 - 1e-9, Math.max(1e-9, q[i]));
                            oof[i] += Math.log(c / (1 - c)) / parts.length;
                        }
                    }
                    for (int i = 0; i < oof.length; i++) oof[i] = 1 / (1 + Math.exp(-oof[i]));
                } else {
                    oof = outOfFold(rows, config(args[a], task));
                    java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.nio.file.Files.newOutputStream(
                            Path.of("target/oof/guardq-oof-" + task + System.getProperty("tag", "") + "-" + args[a].replace(':', '_') + ".bin")));
                    out.writeObject(oof);
                    out.close();
                }
                report(task, args[a], rows, oof, (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** x followed by the max and the mean top-k cosine of its embedding with the positives (skipping itself). */
    static float[] withKnn(float[] x, List<float[]> pos, int k, float scale, boolean skipSelf) {
        double[] top = new double[k];
        java.util.Arrays.fill(top, -1);
        for (float[] q : pos) {
            if (skipSelf && q == x) continue;
            double dot = 0;
            for (int i = 0; i < 384; i++) dot += x[i] * q[i];
            if (dot > top[k - 1]) {
                int j = k - 1;
                while (j > 0 && top[j - 1] < dot) {
                    top[j] = top[j - 1];
                    j--;
                }
                top[j] = dot;
            }
        }
        double mean = 0;
        for (double t : top) mean += t;
        float[] out = java.util.Arrays.copyOf(x, x.length + 2);
        out[x.length] = (float) top[0] * scale;
        out[x.length + 1] = (float) (mean / k) * scale;
        return out;
    }

    static double[] read(String task, String spec) throws Exception {
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(java.nio.file.Files.newInputStream(
                Path.of("target/oof/guardq-oof-" + task + "-" + spec.replace(':', '_') + ".bin")))) {
            return (double[]) in.readObject();
        }
    }

    /** "lr:l2" or "mlp:hidden:epochs:batch:lr:wd:dropout:denseScale:sparseScale", with optional weights. */
    static Function<List<Row>, BinaryModel> config(String spec, String task) {
        if (spec.contains("+")) {
            List<Function<List<Row>, BinaryModel>> parts = new ArrayList<>();
            for (String part : spec.split("\\+")) parts.add(config(part, task));
            return train -> {
                List<BinaryModel> models = parts.stream().map(f -> f.apply(train)).toList();
                return new BinaryModel() {
                    @Override
                    public double probability(float[] x) {
                        double z = 0;
                        for (BinaryModel m : models) {
                            double q = Math.min(1 - 1e-9, Math.max(1e-9, m.probability(x)));
                            z += Math.log(q / (1 - q));
                        }
                        return 1 / (1 + Math.exp(-z / models.size()));
                    }

                    @Override
                    public int dimensions() {
                        return models.getFirst().dimensions();
                    }
                };
            };
        }
        String[] p = spec.split(":");
        if (p[0].equals("knn")) {
            // knn:l2:k:scale — LR over x plus similarity to the training positives (leave-one-out for training rows)
            double l2 = Double.parseDouble(p[1]);
            int k = Integer.parseInt(p[2]);
            float scale = Float.parseFloat(p[3]);
            return train -> {
                List<float[]> pos = train.stream().filter(r -> r.y() == 1).map(Row::x).toList();
                List<float[]> x = new ArrayList<>();
                List<Integer> y = new ArrayList<>();
                for (Row r : train) {
                    float[] f = withKnn(r.x(), pos, k, scale, true);
                    for (int c = 0; c < (int) r.w(); c++) {
                        x.add(f);
                        y.add(r.y());
                    }
                }
                LogisticRegression m = LogisticRegression.fit(x, y.stream().mapToInt(Integer::intValue).toArray(), l2, 400);
                return new BinaryModel() {
                    @Override
                    public double probability(float[] v) {
                        return m.probability(withKnn(v, pos, k, scale, false));
                    }

                    @Override
                    public int dimensions() {
                        return m.dimensions() - 2;
                    }
                };
            };
        }
        if (p[0].equals("res")) {
            // res:l2:hidden:epochs:batch:lr:wd:dropout:denseScale:sparseScale — a hidden layer over a fixed LR
            Function<List<Row>, BinaryModel> lrFit = config("lr:" + p[1], task);
            Mlp.Settings s = new Mlp.Settings(Integer.parseInt(p[2]), Integer.parseInt(p[3]), Integer.parseInt(p[4]),
                    Double.parseDouble(p[5]), Double.parseDouble(p[6]), Double.parseDouble(p[7]),
                    Float.parseFloat(p[8]), Float.parseFloat(p[9]), 42L);
            return train -> Mlp.fit(train.stream().map(Row::x).toList(), train.stream().mapToInt(Row::y).toArray(),
                    train.stream().mapToDouble(Row::w).toArray(), 384, s, (LogisticRegression) lrFit.apply(train));
        }
        if (p[0].equals("lr")) {
            double l2 = Double.parseDouble(p[1]);
            return train -> {
                List<float[]> x = new ArrayList<>();
                List<Integer> y = new ArrayList<>();
                for (Row r : train) {
                    for (int c = 0; c < (int) r.w(); c++) {
                        x.add(r.x());
                        y.add(r.y());
                    }
                }
                return LogisticRegression.fit(x, y.stream().mapToInt(Integer::intValue).toArray(), l2, 400);
            };
        }
        Mlp.Settings s = new Mlp.Settings(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                Double.parseDouble(p[4]), Double.parseDouble(p[5]), Double.parseDouble(p[6]),
                Float.parseFloat(p[7]), Float.parseFloat(p[8]), 42L);
        return train -> Mlp.fit(train.stream().map(Row::x).toList(), train.stream().mapToInt(Row::y).toArray(),
                train.stream().mapToDouble(Row::w).toArray(), 384, s);
    }

    static double[] outOfFold(List<Row> rows, Function<List<Row>, BinaryModel> fit) throws Exception {
        int[] fold = CrossValidation.folds(rows.size(), 5, 42L);
        double[] p = new double[rows.size()];
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int k = 0; k < 5; k++) {
                int kk = k;
                jobs.add(pool.submit(() -> {
                    List<Row> train = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) if (fold[i] != kk) train.add(rows.get(i));
                    BinaryModel m = fit.apply(train);
                    for (int i = 0; i < rows.size(); i++) if (fold[i] == kk) p[i] = m.probability(rows.get(i).x());
                }));
            }
            for (Future<?> f : jobs) f.get();
        } finally {
            pool.shutdown();
        }
        return p;
    }

    /** The lowest threshold (over the out-of-fold scores) meeting the FPR caps, and the rates there. */
    static void report(String task, String spec, List<Row> rows, double[] p, double seconds) {
        double[][] caps = task.equals("injection")
                ? new double[][]{{0.006, 1}, {0.01, 0.03}, {0.004, 1}}
                : new double[][]{{0.004, 0.025}, {0.01, 0.03}};
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-50s %5.0fs", spec, seconds));
        for (double[] cap : caps) {
            double t = threshold(rows, p, cap[0], cap[1]);
            if (task.equals("injection")) {
                sb.append(String.format(Locale.ROOT, " | b<=%.3f x<=%.2f: rec %.3f (deepset %.3f extra %.3f) benign %.4f xs %.3f dna %.3f",
                        cap[0], cap[1], recall(rows, p, t, null), recall(rows, p, t, "deepset"), recall(rows, p, t, "injection-extra"),
                        fpr(rows, p, t, "benign-instructions"), fpr(rows, p, t, "xstest"), fpr(rows, p, t, "do-not-answer")));
            } else {
                sb.append(String.format(Locale.ROOT, " | b<=%.3f x<=%.3f: dna %.3f xs-unsafe %.3f benign %.4f xs %.3f",
                        cap[0], cap[1], recall(rows, p, t, "do-not-answer"), recall(rows, p, t, "xstest"),
                        fpr(rows, p, t, "benign-instructions"), fpr(rows, p, t, "xstest")));
            }
        }
        System.out.println(sb);
    }

    static double threshold(List<Row> rows, double[] p, double benignCap, double xstestCap) {
        double[] sorted = p.clone();
        java.util.Arrays.sort(sorted);
        // binary search would need monotone constraints: they are (FPRs fall as the threshold rises)
        int lo = 0, hi = sorted.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            double t = sorted[mid];
            if (fpr(rows, p, t, "benign-instructions") <= benignCap && fpr(rows, p, t, "xstest") <= xstestCap) hi = mid;
            else lo = mid + 1;
        }
        return sorted[lo];
    }

    static double recall(List<Row> rows, double[] p, double t, String set) {
        int tp = 0, n = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.y() != 1 || (set != null && !r.set().equals(set))) continue;
            n++;
            if (p[i] >= t) tp++;
        }
        return n == 0 ? 0 : (double) tp / n;
    }

    static double fpr(List<Row> rows, double[] p, double t, String set) {
        int fp = 0, n = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.y() != 0 || !r.set().equals(set)) continue;
            n++;
            if (p[i] >= t) fp++;
        }
        return n == 0 ? 0 : (double) fp / n;
    }

    static float[] feats(float[] e, String text, int buckets) {
        float[] f = HashedNgrams.concat(e, text, buckets);
        int chars = Integer.getInteger("chars", 0);
        if (chars == 0) return f;
        float[] c = HashedNgrams.charFeatures(text, chars);
        float scale = Float.parseFloat(System.getProperty("charScale", "1"));
        float[] out = java.util.Arrays.copyOf(f, f.length + chars);
        for (int i = 0; i < chars; i++) out[f.length + i] = c[i] * scale;
        return out;
    }

    static List<Row> injectionRows(Path datasets, EmbeddingFileCache embedder) {
        TextNormalizer normalizer = new TextNormalizer();
        List<Row> rows = new ArrayList<>();
        for (GuardDatasets.Set s : List.of(GuardDatasets.deepset(datasets), GuardDatasets.injectionExtra(datasets),
                GuardDatasets.benignInstructions(datasets), GuardDatasets.xstest(datasets), GuardDatasets.doNotAnswer(datasets))) {
            boolean labels = s.name().equals("deepset") || s.name().equals("injection-extra");
            List<LabeledText> training = s.training();
            List<String> texts = training.stream().map(t -> normalizer.normalize(t.text()).text()).toList();
            List<float[]> e = embedder.embedAll(texts);
            for (int i = 0; i < texts.size(); i++) {
                int y = labels ? training.get(i).label() : 0;
                rows.add(new Row(feats(e.get(i), texts.get(i), 4096), y, y == 1 ? 2 : 1, s.name()));
            }
        }
        List<String> q = BenignQuestions.load(datasets.resolve(BenignQuestions.FILE)).training(500);
        List<String> qn = q.stream().map(t -> normalizer.normalize(t).text()).toList();
        List<float[]> qe = embedder.embedAll(qn);
        for (int i = 0; i < qn.size(); i++) rows.add(new Row(feats(qe.get(i), qn.get(i), 4096), 0, 1, "squad"));
        return rows;
    }

    static List<Row> safetyRows(Path datasets, EmbeddingFileCache embedder) {
        List<Row> rows = new ArrayList<>();
        GuardDatasets.Set deepset = GuardDatasets.deepset(datasets);
        GuardDatasets.Set extra = GuardDatasets.injectionExtra(datasets);
        addSafety(rows, embedder, GuardDatasets.doNotAnswer(datasets).training(), "do-not-answer");
        addSafety(rows, embedder, GuardDatasets.xstest(datasets).training(), "xstest");
        addSafety(rows, embedder, GuardDatasets.benignInstructions(datasets).training(), "benign-instructions");
        addSafety(rows, embedder, GuardDatasets.Set.withLabel(deepset.training(), 0), "deepset");
        addSafety(rows, embedder, GuardDatasets.Set.withLabel(extra.training(), 0), "injection-extra");
        List<String> q = BenignQuestions.load(datasets.resolve(BenignQuestions.FILE)).training(500);
        List<float[]> qe = embedder.embedAll(q);
        for (int i = 0; i < q.size(); i++) rows.add(new Row(feats(qe.get(i), q.get(i), 4096), 0, 1, "squad"));
        return rows;
    }

    private static void addSafety(List<Row> rows, EmbeddingFileCache embedder, List<LabeledText> part, String name) {
        List<float[]> e = embedder.embedAll(part.stream().map(LabeledText::text).toList());
        for (int i = 0; i < part.size(); i++) {
            int y = name.equals("do-not-answer") || name.equals("xstest") ? part.get(i).label() : 0;
            double w = y == 0 && name.equals("xstest") ? Double.parseDouble(System.getProperty("xsw", "6")) : 1;
            rows.add(new Row(feats(e.get(i), part.get(i).text(), 4096), y, w, name));
        }
    }
}
