package io.keel.guard.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.spi.Embedder;
import io.keel.guard.injection.BenignQuestions;
import io.keel.guard.injection.InjectionClassifier;
import io.keel.guard.injection.InjectionTrainer;
import io.keel.guard.pii.CountryRecognizers;
import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.pii.RecognizerProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Evaluates the guard detectors against the public labeled sets ({@code keel guard eval}).
 *
 * <pre>{@code
 * GuardEvalReport report = GuardEval.run(Path.of("../shared/datasets"), embedder);   // embedder may be null
 * System.out.print(report.render());
 * }</pre>
 */
public final class GuardEval {
    public static final String PRESIDIO_CASES = "pii-presidio-cases/presidio_recognizer_cases.jsonl";
    public static final String INJECTION_TRAIN = "prompt-injections-deepset/train.jsonl";

    private GuardEval() {
    }

    /**
     * PII against Presidio's cases and, when {@code embedder} is not null, injection by cross-validation.
     *
     * @param datasets the folder holding {@value #PRESIDIO_CASES} and {@value #INJECTION_TRAIN}
     */
    public static GuardEvalReport run(Path datasets, Embedder embedder) {
        PiiEvalReport pii = pii(datasets.resolve(PRESIDIO_CASES));
        Path squad = datasets.resolve(BenignQuestions.FILE);
        InjectionEvalReport injection = embedder == null ? null
                : injection(datasets.resolve(INJECTION_TRAIN), Files.isRegularFile(squad) ? squad : null, embedder);
        return new GuardEvalReport(pii, injection);
    }

    /** Every recognizer Keel has: the standard set, every country pack, and the model-backed ones on the class path. */
    public static PiiEvalReport pii(Path presidioCases) {
        List<PiiRecognizer> all = new java.util.ArrayList<>(CountryRecognizers.available());
        all.addAll(RecognizerProvider.load(List.copyOf(RecognizerProvider.available().keySet())));
        return pii(presidioCases, all);
    }

    public static PiiEvalReport pii(Path presidioCases, List<PiiRecognizer> recognizers) {
        requireFile(presidioCases);
        return new PiiEval(recognizers).run(PresidioCase.load(presidioCases));
    }

    /**
     * Retrains in memory under k-fold cross-validation (nothing is written), as the bundled weights were trained, and
     * reports both detector layers and, with {@code squadDev}, the false-positive rate on held-out questions.
     *
     * @param squadDev SQuAD dev ({@value BenignQuestions#FILE}), or null to train on the deepset file alone
     */
    public static InjectionEvalReport injection(Path trainJsonl, Path squadDev, Embedder embedder) {
        requireFile(trainJsonl);
        if (squadDev != null) requireFile(squadDev);
        InjectionTrainer.Result r = new InjectionTrainer(embedder).train(trainJsonl, squadDev);
        return new InjectionEvalReport(r.examples(), InjectionTrainer.FOLDS, r.dataSha256(),
                r.dataSha256().equals(bundledDataSha256(embedder.info().id())), r.l2(), r.cvByL2(), r.classifier(),
                r.detector(), r.heldOut());
    }

    /** The SHA-256 of the data the bundled classifier weights for {@code embeddingModel} were trained on. */
    public static String bundledDataSha256(String embeddingModel) {
        String resource = InjectionClassifier.BUNDLED_RESOURCE.formatted(embeddingModel);
        try (InputStream in = GuardEval.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing " + resource);
            return new ObjectMapper().readTree(in).path("data_sha256").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireFile(Path p) {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("evaluation data not found: " + p.toAbsolutePath().normalize());
    }
}
