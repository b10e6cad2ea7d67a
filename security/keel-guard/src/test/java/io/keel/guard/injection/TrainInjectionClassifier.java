package io.keel.guard.injection;

import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderConfig;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the bundled injection classifier and writes its weights file.
 *
 * <pre>./mvnw -q -pl security/keel-guard test-compile exec:java@train-injection</pre>
 *
 * Arguments: the deepset {@code train.jsonl}, SQuAD dev ({@code dev-v1.1.json}, the benign questions, see
 * {@link BenignQuestions}) and the folder to write {@code injection-classifier-<model>.json} to; the model is the
 * default embedding model, or the one named by a fourth argument.
 */
public final class TrainInjectionClassifier {
    static final String COMMAND = "./mvnw -q -pl security/keel-guard test-compile exec:java@train-injection";

    private TrainInjectionClassifier() {
    }

    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: TrainInjectionClassifier <train.jsonl> <squad dev-v1.1.json> <output-dir> [embedding-model]");
            System.exit(2);
        }
        Path data = Path.of(args[0]).normalize();
        Path squad = Path.of(args[1]).normalize();
        OnnxEmbedderConfig d = OnnxEmbedderConfig.defaults();
        OnnxEmbedderConfig config = args.length == 4
                ? new OnnxEmbedderConfig(args[3], d.batchSize(), d.workers(), d.queryThreads(), d.cacheSize(), d.maxQueryBatch())
                : d;
        Path out = Path.of(args[2]).normalize().resolve("injection-classifier-" + config.model() + ".json");
        long t0 = System.nanoTime();
        try (OnnxEmbedder embedder = new OnnxEmbedder(config)) {
            InjectionTrainer.Result r = new InjectionTrainer(embedder).train(data, squad);
            InjectionTrainer.write(r, out, COMMAND);
            System.out.printf(Locale.ROOT, "data %s (sha256 %s, %d examples), model %s%n", data, r.dataSha256(), r.examples(), r.embeddingModel());
            System.out.printf(Locale.ROOT, "5-fold CV accuracy by l2: %s -> chose l2=%s%n", r.cvByL2(), r.l2());
            print("classifier (whole text)", r.classifier());
            print("detector (rules + classifier, whole + sentences)", r.detector());
            InjectionTrainer.HeldOut h = r.heldOut();
            System.out.printf(Locale.ROOT, "benign questions: %d added; held out: classifier FPR %.4f (%d/%d), detector FPR %.4f (%d/%d)%n",
                    h.added(), h.classifierFpr(), h.classifierFalsePositives(), h.questions(), h.detectorFpr(),
                    h.detectorFalsePositives(), h.detectorQuestions());
            System.out.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void print(String what, InjectionTrainer.Metrics m) {
        System.out.printf(Locale.ROOT, "%-50s accuracy %.4f  TPR %.4f  FPR %.4f  (tp %d fp %d tn %d fn %d)%n",
                what, m.accuracy(), m.tpr(), m.fpr(), m.tp(), m.fp(), m.tn(), m.fn());
    }
}
