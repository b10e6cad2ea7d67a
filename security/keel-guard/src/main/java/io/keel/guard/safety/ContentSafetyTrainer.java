package io.keel.guard.safety;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.Embedder;
import io.keel.guard.data.GuardDatasets;
import io.keel.guard.data.HarmCategories;
import io.keel.guard.data.HeldOutSplit;
import io.keel.guard.data.LabeledText;
import io.keel.guard.data.WeightsFile;
import io.keel.guard.injection.BenignQuestions;
import io.keel.guard.injection.CrossValidation;
import io.keel.guard.injection.HashedNgrams;
import io.keel.guard.injection.LogisticRegression;
import io.keel.guard.injection.ModelJson;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Trains {@link ContentSafetyClassifier} reproducibly from the training parts ({@link HeldOutSplit}) of Do-Not-Answer
 * and XSTest's unsafe half (harmful), and XSTest's safe half, the benign instructions, deepset's and
 * injection-extra's benign prompts and {@value #BENIGN_QUESTIONS} SQuAD questions of the training-side articles
 * (not harmful). The harm model's threshold is the lowest probability, not below 0.5, at which the 5-fold
 * out-of-fold false-positive rates stay within {@value #TARGET_BENIGN_FPR} on the benign instructions and
 * {@value #TARGET_XSTEST_FPR} on XSTest's safe prompts; the category models are fitted on the harmful rows alone.
 */
public final class ContentSafetyTrainer {
    public static final int BUCKETS = 4096;
    public static final double L2 = 1e-4;
    public static final double CATEGORY_L2 = 1e-3;
    public static final int ITERATIONS = 400;
    public static final long SEED = 42L;
    public static final int FOLDS = 5;
    public static final int BENIGN_QUESTIONS = 500;
    public static final double TARGET_BENIGN_FPR = 0.004;
    public static final double TARGET_XSTEST_FPR = 0.025;
    /**
     * XSTest's safe prompts are the hard negatives (they share their trigger words with the unsafe half) and the
     * fewest (175 in training): each counts this many times in the fit. On the 5-fold out-of-fold curve (caps 0.4 %
     * benign, 2.5 % XSTest safe), Do-Not-Answer recall rose with the weight: 0.46 at 6, 0.49 at 12, 0.51 at 20,
     * 0.54 at 30, 0.55 at 50 (with character n-grams: 0.54 at 12, 0.55 at 20, 0.56 at 30).
     */
    public static final int XSTEST_SAFE_WEIGHT = 30;
    /** Hashed character 3- to 5-gram buckets after the word n-grams ({@link HashedNgrams#charFeatures}). */
    public static final int CHAR_BUCKETS = 4096;

    private record Row(float[] embedding, float[] x, int y, String set, String category) {
    }

    public record Source(String name, String file, String sha256, int trainingRows) {
    }

    /** @param oofRecall out-of-fold recall on the harmful rows at the threshold; the FPRs likewise */
    public record Result(LogisticRegression harmful, double threshold, List<LogisticRegression> categories,
                         double oofRecall, double oofBenignFpr, double oofXstestFpr, List<Source> sources, int examples,
                         String embeddingModel) {
    }

    private final Embedder embedder;

    public ContentSafetyTrainer(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    public Result train(Path datasets) {
        List<Row> rows = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        GuardDatasets.Set dna = GuardDatasets.doNotAnswer(datasets);
        GuardDatasets.Set xstest = GuardDatasets.xstest(datasets);
        GuardDatasets.Set benign = GuardDatasets.benignInstructions(datasets);
        GuardDatasets.Set deepset = GuardDatasets.deepset(datasets);
        GuardDatasets.Set extra = GuardDatasets.injectionExtra(datasets);
        add(rows, sources, dna, dna.training(), "do-not-answer");
        add(rows, sources, xstest, xstest.training(), "xstest");
        add(rows, sources, benign, benign.training(), "benign-instructions");
        add(rows, sources, deepset, GuardDatasets.Set.withLabel(deepset.training(), 0), "deepset");
        add(rows, sources, extra, GuardDatasets.Set.withLabel(extra.training(), 0), "injection-extra");
        Path squad = datasets.resolve(BenignQuestions.FILE);
        List<String> q = BenignQuestions.load(squad).training(BENIGN_QUESTIONS);
        List<float[]> qe = embedder.embedAll(q);
        for (int i = 0; i < q.size(); i++) rows.add(new Row(qe.get(i), HashedNgrams.concat(qe.get(i), q.get(i), BUCKETS, CHAR_BUCKETS), 0, "squad", null));
        sources.add(new Source("squad-questions", BenignQuestions.FILE, GuardDatasets.sha256(squad), q.size()));

        double[] oof = outOfFold(rows);
        double threshold = 0.999;
        for (int step = 500; step < 1000; step += step < 990 ? 10 : 1) {
            double t = step / 1000.0;
            if (fpr(rows, oof, t, "benign-instructions") <= TARGET_BENIGN_FPR && fpr(rows, oof, t, "xstest") <= TARGET_XSTEST_FPR) {
                threshold = t;
                break;
            }
        }
        int tp = 0, pos = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).y() == 1) {
                pos++;
                if (oof[i] >= threshold) tp++;
            }
        }
        LogisticRegression harmful = fit(rows, L2);
        List<Row> positives = rows.stream().filter(r -> r.y() == 1).toList();
        List<LogisticRegression> categories = new ArrayList<>();
        for (String c : HarmCategories.ALL) {
            List<float[]> x = positives.stream().map(Row::embedding).toList();
            int[] y = positives.stream().mapToInt(r -> c.equals(r.category()) ? 1 : 0).toArray();
            categories.add(LogisticRegression.fit(x, y, CATEGORY_L2, ITERATIONS));
        }
        return new Result(harmful, threshold, categories, (double) tp / pos, fpr(rows, oof, threshold, "benign-instructions"),
                fpr(rows, oof, threshold, "xstest"), sources, rows.size(), embedder.info().id());
    }

    private void add(List<Row> rows, List<Source> sources, GuardDatasets.Set set, List<LabeledText> part, String name) {
        List<float[]> e = embedder.embedAll(part.stream().map(LabeledText::text).toList());
        for (int i = 0; i < part.size(); i++) {
            LabeledText t = part.get(i);
            int y = name.equals("do-not-answer") || name.equals("xstest") ? t.label() : 0;
            rows.add(new Row(e.get(i), HashedNgrams.concat(e.get(i), t.text(), BUCKETS, CHAR_BUCKETS), y, name, t.category()));
        }
        sources.add(new Source(name, set.file(), set.sha256(), part.size()));
    }

    /** FPR over the label-0 rows of one set. */
    private static double fpr(List<Row> rows, double[] p, double t, String set) {
        int fp = 0, n = 0;
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.y() != 0 || !r.set().equals(set)) continue;
            n++;
            if (p[i] >= t) fp++;
        }
        return n == 0 ? 0 : (double) fp / n;
    }

    private static double[] outOfFold(List<Row> rows) {
        return CrossValidation.outOfFold(rows, CrossValidation.folds(rows.size(), FOLDS, SEED), FOLDS, train -> fit(train, L2), Row::x);
    }

    private static int weight(Row r) {
        return r.y() == 0 && r.set().equals("xstest") ? XSTEST_SAFE_WEIGHT : 1;
    }

    private static LogisticRegression fit(List<Row> rows, double l2) {
        return CrossValidation.fitWeighted(rows, Row::x, Row::y, ContentSafetyTrainer::weight, l2, ITERATIONS);
    }

    public static void write(Result r, Path out, String command) {
        ObjectNode root = WeightsFile.root("keel-content-safety-lr/2", r.embeddingModel());
        WeightsFile.training(root, BUCKETS, r.threshold(), command);
        root.put("hashed_char_ngram_buckets", CHAR_BUCKETS);
        ArrayNode data = root.putArray("data");
        for (Source s : r.sources()) WeightsFile.source(data, s.name(), s.file(), s.sha256(), s.trainingRows());
        root.put("examples", r.examples());
        root.put("l2", L2);
        root.put("category_l2", CATEGORY_L2);
        root.put("xstest_safe_weight", XSTEST_SAFE_WEIGHT);
        root.put("iterations", ITERATIONS);
        root.put("seed", SEED);
        ObjectNode cv = root.putObject("cross_validation");
        cv.put("folds", FOLDS);
        cv.put("recall", Math.round(r.oofRecall() * 10000) / 10000.0);
        cv.put("benign_instructions_fpr", Math.round(r.oofBenignFpr() * 10000) / 10000.0);
        cv.put("xstest_safe_fpr", Math.round(r.oofXstestFpr() * 10000) / 10000.0);
        ModelJson.write(root.putObject("harmful"), r.harmful());
        ArrayNode cats = root.putArray("categories");
        for (int i = 0; i < HarmCategories.ALL.size(); i++) {
            ObjectNode c = cats.addObject();
            c.put("name", HarmCategories.ALL.get(i));
            ModelJson.write(c, r.categories().get(i));
        }
        WeightsFile.write(root, out);
    }
}
