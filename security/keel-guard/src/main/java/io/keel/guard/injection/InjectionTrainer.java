package io.keel.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.core.spi.Embedder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Trains the injection classifier reproducibly: the same data file and embedding model give the same weights file.
 *
 * <p>Texts are normalized exactly as at scoring time, embedded, extended with {@link HashedNgrams}, and fitted by {@link LogisticRegression} for each
 * regularisation strength in {@link #L2_GRID}; the strength with the best k-fold cross-validated accuracy (folds from
 * a fixed seed) is refitted on all the data.
 */
public final class InjectionTrainer {
    public static final double[] L2_GRID = {1e-5, 1e-4, 1e-3};
    public static final int BUCKETS = 4096;
    public static final int ITERATIONS = 400;
    public static final long SEED = 42L;
    public static final int FOLDS = 5;
    /** Benign SQuAD questions added to training (see {@link BenignQuestions}); 250–1000 gave the same picture. */
    public static final int BENIGN_QUESTIONS = 500;

    /** One labeled prompt; label 1 = injection. */
    public record Example(String text, int label) {
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

        Metrics plus(Metrics o) {
            return new Metrics(tp + o.tp, fp + o.fp, tn + o.tn, fn + o.fn);
        }
    }

    /**
     * @param cvByL2     cross-validated accuracy of the classifier alone for each regularisation strength
     * @param classifier cross-validated metrics of the classifier alone (whole text) at the chosen strength
     * @param detector   cross-validated metrics of the full detector (rules + classifier, whole text and sentences)
     */
    public record Result(LogisticRegression model, double l2, Map<Double, Double> cvByL2, Metrics classifier,
                         Metrics detector, String dataSha256, int examples, String embeddingModel, HeldOut heldOut) {
    }

    /**
     * False positives on ordinary questions the model never saw (null when trained without SQuAD).
     *
     * @param added the benign training-side questions that were added to training
     */
    public record HeldOut(String dataSha256, int added, int questions, int classifierFalsePositives,
                          int detectorQuestions, int detectorFalsePositives) {
        public double classifierFpr() {
            return (double) classifierFalsePositives / questions;
        }

        public double detectorFpr() {
            return detectorQuestions == 0 ? 0 : (double) detectorFalsePositives / detectorQuestions;
        }
    }

    private final Embedder embedder;
    private final TextNormalizer normalizer = new TextNormalizer();

    public InjectionTrainer(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    /** Reads {@code {"text": ..., "label": 0|1}} lines. */
    public static List<Example> readJsonl(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                out.add(new Example(n.get("text").asText(), n.get("label").asInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trains on the deepset file alone (the labeled set, nothing added). */
    public Result train(Path dataFile) {
        return train(dataFile, null);
    }

    /**
     * Trains on the deepset file plus, when {@code squadDev} is given, {@value #BENIGN_QUESTIONS} benign questions from
     * the training side of {@link BenignQuestions}. The extra questions join the training part of every fold and the
     * final fit but are never scored in cross-validation, so the cross-validated metrics stay those of the labeled
     * set; the questions of the held-out articles then measure the false-positive rate on ordinary questions.
     */
    public Result train(Path dataFile, Path squadDev) {
        List<Example> data = readJsonl(dataFile);
        List<float[]> x = features(data.stream().map(Example::text).toList());
        int[] y = data.stream().mapToInt(Example::label).toArray();
        int[] fold = folds(data.size());
        BenignQuestions questions = squadDev == null ? null : BenignQuestions.load(squadDev);
        List<float[]> extra = questions == null ? List.of() : features(questions.training(BENIGN_QUESTIONS));

        Map<Double, Double> cvByL2 = new LinkedHashMap<>();
        double bestL2 = L2_GRID[0];
        double bestAcc = -1;
        for (double l2 : L2_GRID) {
            double acc = crossValidate(x, y, fold, extra, l2, null).accuracy();
            cvByL2.put(l2, acc);
            if (acc > bestAcc) {
                bestAcc = acc;
                bestL2 = l2;
            }
        }
        Metrics classifierOnly = crossValidate(x, y, fold, extra, bestL2, null);
        Metrics detector = crossValidate(x, y, fold, extra, bestL2, data);
        List<float[]> all = new ArrayList<>(x);
        all.addAll(extra);
        LogisticRegression model = LogisticRegression.fit(all, Arrays.copyOf(y, all.size()), bestL2, ITERATIONS);
        HeldOut heldOut = questions == null ? null : heldOut(model, questions, squadDev);
        return new Result(model, bestL2, cvByL2, classifierOnly, detector, sha256(dataFile), data.size(),
                embedder.info().id(), heldOut);
    }

    /** False positives of the final model on the held-out questions: the classifier on all, the detector on a fifth. */
    private HeldOut heldOut(LogisticRegression model, BenignQuestions questions, Path squadDev) {
        int classifierFp = 0;
        for (float[] q : features(questions.heldOut())) if (model.probability(q) >= 0.5) classifierFp++;
        InjectionDetector detector = new InjectionDetector(
                new InjectionClassifier(embedder, model, 0.5, embedder.info().id(), BUCKETS), InjectionDetector.Config.defaults());
        List<String> sample = questions.heldOut(5);
        int detectorFp = 0;
        for (String q : sample) if (detector.scan(q).flagged()) detectorFp++;
        return new HeldOut(sha256(squadDev), BENIGN_QUESTIONS, questions.heldOut().size(), classifierFp, sample.size(), detectorFp);
    }

    /** What the classifier sees: the normalized text's embedding followed by its hashed n-grams. */
    private List<float[]> features(List<String> raw) {
        List<String> texts = raw.stream().map(t -> normalizer.normalize(t).text()).toList();
        List<float[]> embeddings = embedder.embedAll(texts);
        List<float[]> x = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) x.add(HashedNgrams.concat(embeddings.get(i), texts.get(i), BUCKETS));
        return x;
    }

    /** Deterministic, label-agnostic fold assignment: a seeded shuffle dealt round-robin. */
    static int[] folds(int n) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < n; i++) idx.add(i);
        java.util.Collections.shuffle(idx, new Random(SEED));
        int[] fold = new int[n];
        for (int i = 0; i < n; i++) fold[idx.get(i)] = i % FOLDS;
        return fold;
    }

    /**
     * k-fold cross-validation. With {@code fullDetector} the held-out texts are scored by the whole
     * {@link InjectionDetector} built on the fold's model; without, by the classifier on whole-text vectors.
     */
    private Metrics crossValidate(List<float[]> x, int[] y, int[] fold, List<float[]> extraBenign, double l2,
                                  List<Example> fullDetector) {
        Metrics total = new Metrics(0, 0, 0, 0);
        for (int k = 0; k < FOLDS; k++) {
            List<float[]> tx = new ArrayList<>();
            List<Integer> ty = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                if (fold[i] != k) {
                    tx.add(x.get(i));
                    ty.add(y[i]);
                }
            }
            for (float[] e : extraBenign) {
                tx.add(e);
                ty.add(0);
            }
            LogisticRegression m = LogisticRegression.fit(tx, ty.stream().mapToInt(Integer::intValue).toArray(), l2, ITERATIONS);
            InjectionDetector detector = fullDetector == null ? null
                    : new InjectionDetector(new InjectionClassifier(embedder, m, 0.5, embedder.info().id(), BUCKETS), InjectionDetector.Config.defaults());
            int tp = 0, fp = 0, tn = 0, fn = 0;
            for (int i = 0; i < x.size(); i++) {
                if (fold[i] != k) continue;
                boolean flagged = detector == null ? m.probability(x.get(i)) >= 0.5 : detector.scan(fullDetector.get(i).text()).flagged();
                if (flagged && y[i] == 1) tp++;
                else if (flagged) fp++;
                else if (y[i] == 1) fn++;
                else tn++;
            }
            total = total.plus(new Metrics(tp, fp, tn, fn));
        }
        return total;
    }

    /** Writes the weights file: model, weights, and everything needed to reproduce and audit it. */
    public static void write(Result r, Path out, String command) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("format", "keel-injection-lr/1");
        root.put("embedding_model", r.embeddingModel());
        root.put("embedding_dimensions", r.model().dimensions() - BUCKETS);
        root.put("hashed_ngram_buckets", BUCKETS);
        root.put("threshold", 0.5);
        root.put("training_command", command);
        root.put("data_file", "prompt-injections-deepset/train.jsonl");
        root.put("data_sha256", r.dataSha256());
        root.put("examples", r.examples());
        root.put("l2", r.l2());
        root.put("iterations", ITERATIONS);
        root.put("seed", SEED);
        ObjectNode cv = root.putObject("cross_validation");
        cv.put("folds", FOLDS);
        ObjectNode grid = cv.putObject("classifier_accuracy_by_l2");
        r.cvByL2().forEach((k, v) -> grid.put(String.valueOf(k), round(v)));
        putMetrics(cv.putObject("classifier"), r.classifier());
        putMetrics(cv.putObject("detector"), r.detector());
        if (r.heldOut() != null) {
            HeldOut h = r.heldOut();
            ObjectNode benign = root.putObject("benign_questions");
            benign.put("data_file", BenignQuestions.FILE);
            benign.put("data_sha256", h.dataSha256());
            benign.put("added_to_training", h.added());
            benign.put("selection", "evenly spaced questions of the even-numbered articles; odd-numbered articles held out");
            benign.put("held_out_questions", h.questions());
            benign.put("held_out_classifier_fpr", round(h.classifierFpr()));
            benign.put("held_out_detector_questions", h.detectorQuestions());
            benign.put("held_out_detector_fpr", round(h.detectorFpr()));
        }
        root.put("bias", r.model().bias());
        ArrayNode w = root.putArray("weights");
        for (float f : r.model().weights()) w.add(f);
        try {
            Files.createDirectories(out.toAbsolutePath().getParent());
            json.writeValue(out.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
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
