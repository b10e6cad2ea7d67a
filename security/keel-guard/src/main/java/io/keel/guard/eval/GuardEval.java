package io.keel.guard.eval;

import io.keel.core.spi.Embedder;
import io.keel.guard.injection.InjectionDetector;
import io.keel.guard.model.GuardModel;
import io.keel.guard.safety.ContentSafetyClassifier;
import io.keel.guard.safety.ContentSafetyDetector;
import io.keel.guard.pii.CountryRecognizers;
import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.pii.RecognizerProvider;

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

    private GuardEval() {
    }

    /**
     * PII against Presidio's cases and the synthetic set and, when {@code embedder} is not null, the bundled
     * injection and content-safety detectors on the held-out parts of the injection, harm and benign sets.
     *
     * @param datasets the shared datasets folder (see {@link io.keel.guard.data.GuardDatasets})
     */
    public static GuardEvalReport run(Path datasets, Embedder embedder) {
        PiiEvalReport pii = pii(datasets.resolve(PRESIDIO_CASES));
        String model = GuardModel.bundled().map(m -> "fine-tuned " + m.id()).orElse(null);
        HeldOutEvalReport injection = embedder == null ? null : InjectionEval.run(datasets, bundledPolicyDetector(embedder), embedder,
                model != null ? model : "classifier");
        HeldOutEvalReport safety = embedder == null ? null
                : SafetyEval.run(datasets, new ContentSafetyDetector(ContentSafetyClassifier.standard(embedder), 0.5),
                model != null ? model + " (categories: logistic regression over the query embedding)"
                        : "classifier over the query embedding and word and character n-grams");
        return new GuardEvalReport(pii, syntheticPii(), injection, safety);
    }

    /** The injection detector as the bundled policy builds it for caller input (its threshold and sentence setting). */
    public static InjectionDetector bundledPolicyDetector(Embedder embedder) {
        var p = io.keel.guard.policy.PolicyLoader.defaults().injection();
        return new InjectionDetector(io.keel.guard.injection.InjectionScorer.standard(embedder),
                new InjectionDetector.Config(p.threshold(), p.sentenceLevel(), 12));
    }

    /** The standard scanner (default regions, threshold 0.5, context words) on {@link SyntheticPii}'s generated set. */
    public static List<SyntheticPii.Row> syntheticPii() {
        return SyntheticPii.evaluate(io.keel.guard.pii.PiiScanner.standard(), SyntheticPii.generate());
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

    /** {@code detector} on the held-out parts; {@code embedder} is only used to embed the whole texts in one batch first. */
    public static HeldOutEvalReport injection(Path datasets, InjectionDetector detector, Embedder embedder) {
        return InjectionEval.run(datasets, detector, embedder);
    }

    private static void requireFile(Path p) {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("evaluation data not found: " + p.toAbsolutePath().normalize());
    }
}
