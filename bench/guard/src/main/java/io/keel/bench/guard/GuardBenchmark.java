package io.keel.bench.guard;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.guard.GuardVerdict;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.guard.PolicyGuard;
import io.keel.guard.model.GuardModel;
import io.keel.guard.exfil.ExfiltrationDetector;
import io.keel.guard.exfil.HostAllowlist;
import io.keel.guard.injection.InjectionDetector;
import io.keel.guard.injection.InjectionResult;
import io.keel.guard.pii.PiiScanner;
import io.keel.guard.policy.GuardPolicy;
import io.keel.guard.policy.PolicyLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Latency of each guard detector, and of the whole input guard, on one 2 KB prompt.
 *
 * <p>Sample-time mode so JMH reports percentiles. Benchmarks marked "uncached" make every call embed a new text (a
 * counter is appended), defeating the embedder's query cache; "cached" shows the cost inside the query pipeline,
 * where retrieval embeds the same question and the guard's embedding is a cache hit. A cached classifier call is
 * then the text's hashed word n-grams and character 3-5-grams (the latter about 40-65 us of it on this prompt) and a
 * logistic regression over 8,576 features; the bundled policy runs two (injection, content safety).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardBenchmark {
    /** 2,048 characters: a support question with an e-mail, a phone number, a card, an IBAN and ordinary prose. */
    static final String PROMPT = prompt();

    private OnnxEmbedder embedder;
    private PiiScanner pii;
    private InjectionDetector rules;
    private InjectionDetector wholeText;
    private InjectionDetector sentences;
    private ExfiltrationDetector exfiltration;
    private PolicyGuard guardWhole;
    private PolicyGuard guardRulesOnly;
    private PolicyGuard guardBundled;
    private PolicyGuard guardBundledEmbedding;
    private GuardModel model;
    private long counter;

    @Setup(Level.Trial)
    public void setUp() {
        embedder = OnnxEmbedder.createDefault();
        model = GuardModel.bundled().orElseThrow(() -> new IllegalStateException("keel-guard-minilm is not on the class path"));
        pii = PiiScanner.standard();
        rules = InjectionDetector.rulesOnly();
        // the logistic regression over the shared embedding (the bundled policy scores with the fine-tuned model)
        wholeText = new InjectionDetector(io.keel.guard.injection.InjectionClassifier.bundled(embedder),
                new InjectionDetector.Config(0.5, false, 12));
        sentences = InjectionDetector.standard(embedder);
        exfiltration = new ExfiltrationDetector(new HostAllowlist(List.of("docs.example.com")), List.of("keel-canary-0123"));
        GuardPolicy whole = PolicyLoader.fromYaml("name: bench\nversion: 1\ninjection:\n  sentence_level: false\n");
        guardWhole = PolicyGuard.builder(whole).embedder(embedder).build();
        guardRulesOnly = PolicyGuard.builder(whole).build();
        // the bundled policy: injection (whole text and sentences) and content safety over the same query embedding
        guardBundled = PolicyGuard.builder(PolicyLoader.defaults()).embedder(embedder).build();
        GuardPolicy d = PolicyLoader.defaults();
        guardBundledEmbedding = PolicyGuard.builder(new GuardPolicy(d.name(), d.version(), d.failClosed(), d.detectorTimeout(), d.pii(),
                d.injection(), d.exfiltration(), d.topics(), d.contentSafety(), GuardPolicy.Classifier.EMBEDDING)).embedder(embedder).build();
        if (PROMPT.length() != 2048) throw new IllegalStateException("prompt is " + PROMPT.length() + " chars");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        guardWhole.close();
        guardRulesOnly.close();
        guardBundled.close();
        guardBundledEmbedding.close();
        embedder.close();
    }

    /**
     * A new 2 KB prompt each call. The counter goes first: the guard model caches its scores by the 128-token window
     * it reads, so a change after the window would be a cache hit, not a model pass.
     */
    private String fresh() {
        return String.format("%08d", counter++ % 100_000_000) + PROMPT.substring(8);
    }

    @Benchmark
    public List<Finding> piiAllRecognizers() {
        return pii.scan(PROMPT);
    }

    @Benchmark
    public InjectionResult injectionNormalizeAndRules() {
        return rules.scan(PROMPT);
    }

    @Benchmark
    public InjectionResult injectionClassifierWholeTextUncached() {
        return wholeText.scan(fresh());
    }

    @Benchmark
    public InjectionResult injectionClassifierWholeTextCached() {
        return wholeText.scan(PROMPT);
    }

    @Benchmark
    public InjectionResult injectionClassifierSentencesUncached() {
        return sentences.scan(fresh());
    }

    /** One pass of the fine-tuned guard model over a new 2 KB prompt (cut to its 128-token window). */
    @Benchmark
    public GuardModel.Scores guardModel2KbUncached() {
        return model.score(fresh());
    }

    /** One pass of the fine-tuned guard model over a new one-sentence request (about 20 tokens). */
    @Benchmark
    public GuardModel.Scores guardModelShortUncached() {
        return model.score("Write an email to my team about the new parking rules, reference " + counter++);
    }

    /**
     * The bundled policy (PII, injection and content safety by the fine-tuned model, categories over the query
     * embedding) on a new prompt, its query embedding included (in a query, retrieval pays for that embedding and
     * the guard's is a cache hit; {@code guardModel2KbUncached} is the guard's own model pass).
     */
    @Benchmark
    public GuardVerdict policyGuardInputBundledUncached() {
        String text = fresh();
        embedder.embedQuery(text);
        return guardBundled.inspect(text, Direction.INPUT);
    }

    /**
     * The bundled policy on a new prompt as the query pipeline runs it, the guard before retrieval: the guard
     * computes the query embedding (retrieval then finds it cached) and, on another thread, the model pass.
     */
    @Benchmark
    public GuardVerdict policyGuardInputBundledFresh() {
        return guardBundled.inspect(fresh(), Direction.INPUT);
    }

    /** The same with {@code classifier: embedding}: the query embedding and the linear read-outs only. */
    @Benchmark
    public GuardVerdict policyGuardInputBundledEmbeddingFresh() {
        return guardBundledEmbedding.inspect(fresh(), Direction.INPUT);
    }

    /** A new 2 KB prompt whose query embedding is already cached, as retrieval leaves it. */
    @State(Scope.Thread)
    public static class EmbeddedPrompt {
        String text;

        @Setup(Level.Invocation)
        public void next(GuardBenchmark b) {
            text = b.fresh();
            b.embedder.embedQuery(text);
        }
    }

    /**
     * The bundled policy on a new prompt whose query embedding is shared with retrieval (computed before the timed
     * call): what the input guard adds to a query. With the default classifier that includes the model's own pass.
     */
    @Benchmark
    public GuardVerdict policyGuardInputBundledSharedEmbedding(EmbeddedPrompt p) {
        return guardBundled.inspect(p.text, Direction.INPUT);
    }

    /** The same with {@code classifier: embedding}. */
    @Benchmark
    public GuardVerdict policyGuardInputBundledEmbeddingSharedEmbedding(EmbeddedPrompt p) {
        return guardBundledEmbedding.inspect(p.text, Direction.INPUT);
    }

    /** A new one-sentence request whose query embedding is cached: the bundled policy with the default classifier. */
    @State(Scope.Thread)
    public static class EmbeddedSentence {
        String text;

        @Setup(Level.Invocation)
        public void next(GuardBenchmark b) {
            text = "Write an email to my team about the new parking rules, reference " + b.counter++;
            b.embedder.embedQuery(text);
        }
    }

    @Benchmark
    public GuardVerdict policyGuardInputBundledSharedEmbeddingShort(EmbeddedSentence p) {
        return guardBundled.inspect(p.text, Direction.INPUT);
    }

    @Benchmark
    public List<Finding> exfiltrationOutput() {
        return exfiltration.detect(PROMPT, Direction.OUTPUT);
    }

    @Benchmark
    public GuardVerdict policyGuardInputRulesOnly() {
        return guardRulesOnly.inspect(PROMPT, Direction.INPUT);
    }

    @Benchmark
    public GuardVerdict policyGuardInputWholeTextUncached() {
        return guardWhole.inspect(fresh(), Direction.INPUT);
    }

    @Benchmark
    public GuardVerdict policyGuardInputWholeTextCached() {
        return guardWhole.inspect(PROMPT, Direction.INPUT);
    }

    @Benchmark
    public GuardVerdict policyGuardInputBundledCached() {
        return guardBundled.inspect(PROMPT, Direction.INPUT);
    }

    private static String prompt() {
        String base = "Hello support team, I am writing about my account and a payment that went wrong last week. "
                + "My name is on the account and you can reach me at jane.doe@example.com or on +1 415 555 0132 during office hours. "
                + "I paid the annual subscription with my card 4111 1111 1111 1111 on the fourth of the month, but the invoice shows "
                + "the monthly plan instead, and I was charged twice. The refund should go to my bank account, "
                + "IBAN DE89 3704 0044 0532 0130 00, not back to the card, because the card has since been cancelled. "
                + "Could you also check whether the discount code from the spring newsletter was applied? "
                + "The order reference in the confirmation e-mail was 7781-AX and the date on it was 2024-03-15. "
                + "I have attached the receipt and a screenshot of the billing page as it looked before the change. "
                + "Our finance department needs a corrected invoice with the company's VAT number for the tax filing at the end of the quarter, "
                + "so I would appreciate it if you could send the corrected version within the next few days. "
                + "In addition, please explain how the proration works when a plan is upgraded in the middle of a billing cycle, "
                + "and whether unused days of the monthly plan are credited against the annual price. ";
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 2048) sb.append(base);
        return sb.substring(0, 2048);
    }
}
