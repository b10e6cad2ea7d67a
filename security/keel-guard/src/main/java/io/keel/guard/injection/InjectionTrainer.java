package io.keel.guard.injection;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.Embedder;
import io.keel.guard.data.GuardDatasets;
import io.keel.guard.data.HeldOutSplit;
import io.keel.guard.data.LabeledText;
import io.keel.guard.data.WeightsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains the injection classifier reproducibly: the same data files and embedding model give the same weights file.
 *
 * <p>Training data: the training parts ({@link HeldOutSplit}) of deepset's prompt injections (both labels),
 * injection-extra's jailbreaks and benign prompts, the benign instructions, XSTest (both halves are benign for this
 * task: a harmful request is not an injection, content safety judges it), Do-Not-Answer (likewise) and
 * {@value #BENIGN_QUESTIONS} SQuAD questions of the training-side articles ({@link BenignQuestions}).
 *
 * <p>Texts are normalized exactly as at scoring time, embedded, extended with {@link HashedNgrams}' word and
 * character n-grams, and fitted by
 * {@link LogisticRegression} for each strength in {@link #L2_GRID}; the strength with the best cross-validated
 * balanced accuracy (folds from a fixed seed) is refitted on all the training data. The decision threshold is the
 * lowest probability, not below 0.5, at which the out-of-fold false-positive rate on the benign instructions is at
 * most {@value #TARGET_BENIGN_FPR}; {@link InjectionClassifier} maps it to the score 0.5.
 */
public final class InjectionTrainer {
    public static final double[] L2_GRID = {1e-5, 1e-4, 1e-3};
    public static final int BUCKETS = 4096;
    /**
     * Hashed character 3- to 5-gram features after the word n-grams. On the training parts' 5-fold out-of-fold
     * curve they raised the classifier's recall at a 0.6 % benign false-positive rate from 0.79 to 0.82 (deepset's
     * injections from 0.43 to 0.52).
     */
    public static final int CHAR_BUCKETS = 4096;
    public static final int ITERATIONS = 400;
    public static final long SEED = 42L;
    public static final int FOLDS = 5;
    public static final int BENIGN_QUESTIONS = 500;
    /** Out-of-fold false-positive rate on benign instructions the threshold is chosen for. */
    public static final double TARGET_BENIGN_FPR = 0.006;
    /** Injections are the minority; each positive row counts this many times in the fit. */
    public static final int POSITIVE_WEIGHT = 2;

    /** One training row: its features, label and the set it came from. */
    private record Row(float[] x, int y, String set) {
    }

    /** Cross-validated confusion counts. */
    public record Metrics(int tp, int fp, int tn, int fn) {
        public int n() {
            return tp + fp + tn + fn;
        }

        public double accuracy() {
            return n() == 0 ? 0 : (double) (tp + tn) / n();
        }

        public double tpr() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        public double fpr() {
            return fp + tn == 0 ? 0 : (double) fp / (fp + tn);
        }

        public double balancedAccuracy() {
            return (tpr() + 1 - fpr()) / 2;
        }
    }

    /** A data file that went into training, with how many of its rows were used. */
    public record Source(String name, String file, String sha256, int trainingRows, int heldOutRows) {
    }

    /**
     * @param cvByL2     cross-validated balanced accuracy of the classifier at probability 0.5 per strength
     * @param threshold  the probability mapped to score 0.5
     * @param outOfFold  cross-validated metrics of the classifier at {@code threshold}
     */
    public record Result(LogisticRegression model, double l2, Map<Double, Double> cvByL2, double threshold,
                         Metrics outOfFold, List<Source> sources, int examples, String embeddingModel) {
    }

    private final Embedder embedder;
    private final TextNormalizer normalizer = new TextNormalizer();

    public InjectionTrainer(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    public Result train(Path datasets) {
        List<Source> sources = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (GuardDatasets.Set s : List.of(GuardDatasets.deepset(datasets), GuardDatasets.injectionExtra(datasets),
                GuardDatasets.benignInstructions(datasets), GuardDatasets.xstest(datasets), GuardDatasets.doNotAnswer(datasets))) {
            boolean injectionLabels = s.name().equals("deepset") || s.name().equals("injection-extra");
            List<LabeledText> training = s.training();
            List<float[]> x = features(training.stream().map(LabeledText::text).toList());
            for (int i = 0; i < training.size(); i++) rows.add(new Row(x.get(i), injectionLabels ? training.get(i).label() : 0, s.name()));
            sources.add(new Source(s.name(), s.file(), s.sha256(), training.size(), s.rows().size() - training.size()));
        }
        Path squad = datasets.resolve(BenignQuestions.FILE);
        BenignQuestions questions = BenignQuestions.load(squad);
        List<String> q = questions.training(BENIGN_QUESTIONS);
        List<float[]> qx = features(q);
        for (float[] v : qx) rows.add(new Row(v, 0, "squad"));
        sources.add(new Source("squad-questions", BenignQuestions.FILE, GuardDatasets.sha256(squad), q.size(), questions.heldOut().size()));

        int[] fold = folds(rows.size());
        Map<Double, Double> cvByL2 = new LinkedHashMap<>();
        double bestL2 = L2_GRID[0];
        double best = -1;
        double[] bestOof = null;
        for (double l2 : L2_GRID) {
            double[] oof = outOfFold(rows, fold, l2);
            double bal = metrics(rows, oof, 0.5).balancedAccuracy();
            cvByL2.put(l2, bal);
            if (bal > best) {
                best = bal;
                bestL2 = l2;
                bestOof = oof;
            }
        }
        double threshold = chooseThreshold(rows, bestOof);
        LogisticRegression model = fit(rows, bestL2);
        return new Result(model, bestL2, cvByL2, threshold, metrics(rows, bestOof, threshold), sources, rows.size(),
                embedder.info().id());
    }

    /** The lowest threshold >= 0.5 (in steps of 0.01) whose out-of-fold FPR on benign instructions is within target. */
    static double chooseThreshold(List<Row> rows, double[] oof) {
        for (int step = 50; step < 100; step++) {
            double t = step / 100.0;
            int fp = 0, n = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).set().equals("benign-instructions")) continue;
                n++;
                if (oof[i] >= t) fp++;
            }
            if (n == 0 || (double) fp / n <= TARGET_BENIGN_FPR) return t;
        }
        return 0.99;
    }

    private static Metrics metrics(List<Row> rows, double[] p, double threshold) {
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < rows.size(); i++) {
            boolean flagged = p[i] >= threshold;
            int y = rows.get(i).y();
            if (flagged && y == 1) tp++;
            else if (flagged) fp++;
            else if (y == 1) fn++;
            else tn++;
        }
        return new Metrics(tp, fp, tn, fn);
    }

    private double[] outOfFold(List<Row> rows, int[] fold, double l2) {
        return CrossValidation.outOfFold(rows, fold, FOLDS, train -> fit(train, l2), Row::x);
    }

    private static LogisticRegression fit(List<Row> rows, double l2) {
        return CrossValidation.fitWeighted(rows, Row::x, Row::y, r -> r.y() == 1 ? POSITIVE_WEIGHT : 1, l2, ITERATIONS);
    }

    /** What the classifier sees: the normalized text's embedding followed by its hashed word and character n-grams. */
    private List<float[]> features(List<String> raw) {
        List<String> texts = raw.stream().map(t -> normalizer.normalize(t).text()).toList();
        List<float[]> embeddings = embedder.embedAll(texts);
        List<float[]> x = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) x.add(HashedNgrams.concat(embeddings.get(i), texts.get(i), BUCKETS, CHAR_BUCKETS));
        return x;
    }

    /** Deterministic, label-agnostic fold assignment: a seeded shuffle dealt round-robin. */
    static int[] folds(int n) {
        return CrossValidation.folds(n, FOLDS, SEED);
    }

    /** Writes the weights file: model, weights, and everything needed to reproduce and audit it. */
    public static void write(Result r, Path out, String command) {
        ObjectNode root = WeightsFile.root("keel-injection-lr/3", r.embeddingModel());
        root.put("embedding_dimensions", r.model().dimensions() - BUCKETS - CHAR_BUCKETS);
        WeightsFile.training(root, BUCKETS, r.threshold(), command);
        root.put("hashed_char_ngram_buckets", CHAR_BUCKETS);
        ArrayNode data = root.putArray("data");
        for (Source s : r.sources()) {
            WeightsFile.source(data, s.name(), s.file(), s.sha256(), s.trainingRows()).put("held_out_rows", s.heldOutRows());
        }
        root.put("examples", r.examples());
        root.put("positive_weight", POSITIVE_WEIGHT);
        root.put("l2", r.l2());
        root.put("iterations", ITERATIONS);
        root.put("seed", SEED);
        ObjectNode cv = root.putObject("cross_validation");
        cv.put("folds", FOLDS);
        ObjectNode grid = cv.putObject("balanced_accuracy_by_l2");
        r.cvByL2().forEach((k, v) -> grid.put(String.valueOf(k), round(v)));
        putMetrics(cv.putObject("classifier_at_threshold"), r.outOfFold());
        ModelJson.write(root, r.model());
        WeightsFile.write(root, out);
    }

    private static void putMetrics(ObjectNode node, Metrics m) {
        node.put("accuracy", round(m.accuracy()));
        node.put("tpr", round(m.tpr()));
        node.put("fpr", round(m.fpr()));
        node.put("tp", m.tp());
        node.put("fp", m.fp());
        node.put("tn", m.tn());
        node.put("fn", m.fn());
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
