package io.keel.guard;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardVerdict;
import io.keel.core.spi.Embedder;
import io.keel.guard.action.Action;
import io.keel.guard.action.Anonymizer;
import io.keel.guard.action.PseudonymSession;
import io.keel.guard.action.StreamingScanner;
import io.keel.guard.exfil.ExfiltrationDetector;
import io.keel.guard.injection.InjectionClassifier;
import io.keel.guard.injection.InjectionScorer;
import io.keel.guard.injection.InjectionDetector;
import io.keel.guard.injection.InjectionResult;
import io.keel.guard.pii.CountryRecognizers;
import io.keel.guard.pii.PiiDetector;
import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.pii.PiiScanner;
import io.keel.guard.pii.RecognizerProvider;
import io.keel.guard.policy.GuardPolicy;
import io.keel.guard.policy.TopicDetector;
import io.keel.guard.safety.ContentSafetyClassifier;
import io.keel.guard.safety.ContentSafetyDetector;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The guard a policy describes: PII, prompt injection, content safety, exfiltration and denied-topic detectors run
 * side by side, and the policy's actions decide the verdict. An injection detection below the policy's
 * {@code block_threshold} is flagged (allowed, its finding reported) rather than acted on.
 *
 * <p><b>Fail closed.</b> All detectors share the policy's time budget. A detector that throws or is still running
 * when the budget is spent blocks the text when the policy's {@code fail_mode} is {@code closed} (the default); the
 * verdict's reason names the detector and what went wrong. With {@code open}, the detector is skipped, a
 * {@value #SKIPPED} finding records it, and a warning is logged.
 *
 * <p>Thread-safe; one instance serves all requests of a policy. {@link #close()} stops its worker threads.
 */
public final class PolicyGuard implements Guard, AutoCloseable {
    public static final String GUARD_ERROR = "GUARD_ERROR";
    public static final String SKIPPED = "GUARD_SKIPPED";
    private static final System.Logger LOG = System.getLogger(PolicyGuard.class.getName());

    private final GuardPolicy policy;
    private final List<Detector> detectors;
    private final InjectionDetector injection;
    private final Map<String, Action> topicActions;
    private final PiiDetector pii;
    private final ExfiltrationDetector exfiltration;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    private PolicyGuard(Builder b) {
        this.policy = b.policy;
        GuardPolicy.Pii p = policy.pii();
        Map<String, Double> thresholds = new HashMap<>();
        List<PiiRecognizer> recognizers = b.recognizers;
        if (recognizers == null) {
            recognizers = new ArrayList<>(CountryRecognizers.standardPlus(p.countries()));
            if (p.enabled()) recognizers.addAll(RecognizerProvider.load(p.models()));
        }
        recognizers.forEach(r -> r.entityTypes().forEach(t -> thresholds.put(t, p.thresholdFor(t))));
        this.pii = p.enabled() ? new PiiDetector(new PiiScanner(recognizers, thresholds, p.defaultThreshold()), p.directions()) : null;
        GuardPolicy.Injection inj = policy.injection();
        boolean fineTuned = policy.classifier() == GuardPolicy.Classifier.FINE_TUNED;
        if (!inj.enabled()) {
            this.injection = null;
        } else if (b.injection != null) {
            this.injection = b.injection;
        } else {
            this.injection = new InjectionDetector(fineTuned ? InjectionScorer.standard(b.embedder)
                    : b.embedder == null ? null : InjectionClassifier.bundled(b.embedder), new InjectionDetector.Config(inj.threshold(), inj.sentenceLevel(), 12));
        }
        GuardPolicy.Exfiltration ex = policy.exfiltration();
        this.exfiltration = ex.enabled() ? new ExfiltrationDetector(ex.allowedHosts(), ex.canaries()) : null;
        this.topicActions = policy.topics().stream().collect(Collectors.toUnmodifiableMap(
                t -> TopicDetector.TYPE_PREFIX + t.name(), GuardPolicy.Topic::action));
        List<Detector> all = new ArrayList<>();
        if (pii != null) all.add(pii);
        if (exfiltration != null) all.add(exfiltration);
        if (!policy.topics().isEmpty()) all.add(new TopicDetector(policy.topics(), b.embedder));
        GuardPolicy.ContentSafety safety = policy.contentSafety();
        if (safety.enabled() && (b.embedder != null || b.safety != null)) {
            all.add(b.safety != null ? b.safety : new ContentSafetyDetector(fineTuned
                    ? ContentSafetyClassifier.standard(b.embedder) : ContentSafetyClassifier.bundled(b.embedder), safety.threshold()));
        }
        all.addAll(b.extra);
        this.detectors = List.copyOf(all);
    }

    public static Builder builder(GuardPolicy policy) {
        return new Builder(policy);
    }

    @Override
    public String name() {
        return "policy:" + policy.id();
    }

    public GuardPolicy policy() {
        return policy;
    }

    /** A new pseudonym session for one request; use it for input, output and re-hydration of that request. */
    public PseudonymSession newSession() {
        return new PseudonymSession();
    }

    /** Inspects with a throw-away pseudonym session (tokens are consistent within this text only). */
    @Override
    public GuardVerdict inspect(String text, Direction direction) {
        return scan(text, direction, new PseudonymSession()).verdict();
    }

    public GuardVerdict inspect(String text, Direction direction, PseudonymSession session) {
        return scan(text, direction, session).verdict();
    }

    /** The verdict plus the injection score, for the scan endpoint. */
    public ScanReport scan(String text, Direction direction, PseudonymSession session) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(direction, "direction");
        long deadline = System.nanoTime() + policy.detectorTimeout().toNanos();
        boolean checkInjection = injection != null && direction == Direction.INPUT;
        Future<InjectionResult> injectionTask = checkInjection ? workers.submit(() -> injection.scan(text)) : null;
        List<Future<List<Finding>>> tasks = new ArrayList<>();
        for (Detector d : detectors) tasks.add(workers.submit(() -> d.detect(text, direction)));

        List<Finding> findings = new ArrayList<>();
        InjectionResult injectionResult = null;
        if (injectionTask != null) {
            Outcome<InjectionResult> o = await(injectionTask, injection, deadline);
            if (o.failure != null) {
                GuardVerdict failed = failure(text, direction, injection, o.failure, findings);
                if (failed != null) return cancelAll(tasks, new ScanReport(failed, null));
            } else {
                injectionResult = o.value;
                if (injectionResult.flagged()) findings.addAll(injection.findingsOf(text, injectionResult));
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            Outcome<List<Finding>> o = await(tasks.get(i), detectors.get(i), deadline);
            if (o.failure != null) {
                GuardVerdict failed = failure(text, direction, detectors.get(i), o.failure, findings);
                if (failed != null) return cancelAll(tasks, new ScanReport(failed, injectionResult));
            } else {
                findings.addAll(o.value);
            }
        }
        return new ScanReport(decide(text, direction, findings, session), injectionResult);
    }

    /** A scanner for a streamed answer: PII and exfiltration checks over a sliding window (see {@link StreamingScanner}). */
    public StreamingScanner streaming(PseudonymSession session) {
        List<Detector> output = new ArrayList<>();
        if (pii != null) output.add(pii);
        if (exfiltration != null) output.add(exfiltration);
        return new StreamingScanner(text -> output.stream().flatMap(d -> d.detect(text, Direction.OUTPUT).stream()).toList(),
                this::actionFor, session, StreamingScanner.DEFAULT_WINDOW);
    }

    /** A filter for one streamed answer over {@link #streaming}, with a fresh pseudonym session. */
    @Override
    public StreamFilter stream() {
        StreamingScanner scanner = streaming(newSession());
        return new StreamFilter() {
            @Override
            public Release accept(String chunk) {
                return release(scanner.accept(chunk));
            }

            @Override
            public Release finish() {
                return release(scanner.finish());
            }
        };
    }

    private Release release(StreamingScanner.Emission e) {
        if (e.finding() == null) return new Release(e.text(), e.blocked());
        GuardVerdict v = new GuardVerdict(e.blocked() ? GuardVerdict.Decision.BLOCK : GuardVerdict.Decision.REDACT, e.text(),
                List.of(e.finding()), policy.id(), null);
        return new Release(e.text(), e.blocked(), v);
    }

    /** The policy's action for a finding. */
    public Action actionFor(Finding f) {
        String type = f.type();
        if (type.equals(InjectionDetector.TYPE)) return policy.injection().actionFor(f.score());
        String category = ContentSafetyDetector.category(f);
        if (category != null) return policy.contentSafety().actionFor(category);
        if (type.equals(ExfiltrationDetector.IMAGE)) return policy.exfiltration().imageAction();
        if (type.equals(ExfiltrationDetector.LINK)) return policy.exfiltration().linkAction();
        if (type.equals(ExfiltrationDetector.CANARY)) return policy.exfiltration().canaryAction();
        if (type.equals(GUARD_ERROR)) return Action.BLOCK;
        if (type.equals(SKIPPED)) return Action.ALLOW;
        Action topic = topicActions.get(type);
        return topic != null ? topic : policy.pii().actionFor(type);
    }

    private GuardVerdict decide(String text, Direction direction, List<Finding> findings, PseudonymSession session) {
        for (Finding f : findings) {
            if (actionFor(f) == Action.BLOCK) {
                String reason = describe(f);
                return new GuardVerdict(GuardVerdict.Decision.BLOCK, refusal(direction, reason), findings, policy.id(), reason);
            }
        }
        boolean rewrite = findings.stream().anyMatch(f -> actionFor(f).rewrites());
        if (!rewrite) return new GuardVerdict(GuardVerdict.Decision.ALLOW, text, findings, policy.id(), null);
        String rewritten = Anonymizer.apply(text, findings, this::actionFor, session);
        String reason = findings.stream().filter(f -> actionFor(f).rewrites()).map(Finding::type).distinct().sorted()
                .collect(Collectors.joining(", ", "rewrote ", ""));
        return new GuardVerdict(GuardVerdict.Decision.REDACT, rewritten, findings, policy.id(), reason);
    }

    private String describe(Finding f) {
        return switch (f.type()) {
            case InjectionDetector.TYPE -> String.format(java.util.Locale.ROOT, "prompt injection (score %.2f)", f.score());
            case String t when t.startsWith(ContentSafetyDetector.TYPE_PREFIX) -> String.format(java.util.Locale.ROOT,
                    "harmful request: %s (score %.2f)", ContentSafetyDetector.category(f), f.score());
            case ExfiltrationDetector.CANARY -> "the answer contains a canary token from the system prompt";
            case ExfiltrationDetector.IMAGE -> "the answer loads an image from a host that is not allowed";
            default -> f.type() + " found (" + f.detector() + ")";
        };
    }

    private String refusal(Direction direction, String reason) {
        return (direction == Direction.INPUT ? "Request blocked" : "Answer withheld") + " by guard policy " + policy.id() + ": " + reason + ".";
    }

    /** Null when the policy fails open (the caller goes on); otherwise the blocking verdict. */
    private GuardVerdict failure(String text, Direction direction, Detector detector, String what, List<Finding> findings) {
        String reason = "detector '" + detector.name() + "' " + what;
        if (policy.failClosed()) {
            List<Finding> all = new ArrayList<>(findings);
            all.add(new Finding(GUARD_ERROR, 0, text.length(), 1.0, detector.name()));
            return new GuardVerdict(GuardVerdict.Decision.BLOCK, refusal(direction, reason + " (fail-closed)"), all, policy.id(),
                    reason + "; policy fails closed");
        }
        LOG.log(System.Logger.Level.WARNING, "guard policy {0} fails open: {1}", policy.id(), reason);
        findings.add(new Finding(SKIPPED, 0, text.length(), 0.0, detector.name()));
        return null;
    }

    private record Outcome<T>(T value, String failure) {
    }

    private static <T> Outcome<T> await(Future<T> task, Detector detector, long deadline) {
        long left = deadline - System.nanoTime();
        try {
            return new Outcome<>(task.get(Math.max(0, left), TimeUnit.NANOSECONDS), null);
        } catch (TimeoutException e) {
            task.cancel(true);
            return new Outcome<>(null, "timed out");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return new Outcome<>(null, "failed: " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return new Outcome<>(null, "was interrupted");
        }
    }

    private static ScanReport cancelAll(List<? extends Future<?>> tasks, ScanReport report) {
        tasks.forEach(t -> t.cancel(true));
        return report;
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** Builds a {@link PolicyGuard}. */
    public static final class Builder {
        private final GuardPolicy policy;
        private Embedder embedder;
        private InjectionDetector injection;
        private ContentSafetyDetector safety;
        private List<PiiRecognizer> recognizers;
        private final List<Detector> extra = new ArrayList<>();

        private Builder(GuardPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** Enables the injection classifier and topic similarity. Without it, injection runs on rules only. */
        public Builder embedder(Embedder embedder) {
            this.embedder = embedder;
            return this;
        }

        /** Replaces the injection detector the policy would build. */
        public Builder injectionDetector(InjectionDetector detector) {
            this.injection = detector;
            return this;
        }

        /** Replaces the content-safety detector the policy would build (it is used only when the policy enables content safety). */
        public Builder contentSafetyDetector(ContentSafetyDetector detector) {
            this.safety = detector;
            return this;
        }

        /** Replaces the built-in PII recognizers (and the policy's country packs). */
        public Builder recognizers(List<PiiRecognizer> recognizers) {
            this.recognizers = List.copyOf(recognizers);
            return this;
        }

        /** Adds a detector; its findings take the PII action for their type (the default action if none is set). */
        public Builder addDetector(Detector detector) {
            extra.add(Objects.requireNonNull(detector, "detector"));
            return this;
        }

        public PolicyGuard build() {
            return new PolicyGuard(this);
        }
    }
}
