package io.keel.guard.action;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.CountryRecognizers;
import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.pii.PiiScanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes text safe to log: every PII value and secret becomes its type ({@code <EMAIL_ADDRESS>}).
 *
 * <p>Tuned to over-redact: its threshold is low enough that even weak patterns (a bare nine-digit number that might
 * be an SSN) are removed, because a log line lives longer than a request. Thread-safe.
 */
public final class Redactor {
    /** Findings scoring at least this are redacted from logs. */
    public static final double LOG_THRESHOLD = 0.05;

    private final PiiScanner scanner;

    public Redactor(PiiScanner scanner) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
    }

    /** All built-in recognizers, including secrets, at {@link #LOG_THRESHOLD}. */
    public static Redactor forLogs() {
        return forLogs(List.of());
    }

    /**
     * As {@link #forLogs()}, plus the identifier packs of {@code countries} (see
     * {@link io.keel.guard.pii.CountryRecognizers}), so the log covers every identifier the guard policy looks for.
     */
    public static Redactor forLogs(List<String> countries) {
        return forLogs(countries, List.of());
    }

    /** As {@link #forLogs(List)}, plus {@code extra} recognizers, such as the policy's named-entity model. */
    public static Redactor forLogs(List<String> countries, List<PiiRecognizer> extra) {
        List<PiiRecognizer> all = new ArrayList<>(CountryRecognizers.standardPlus(countries));
        all.addAll(extra);
        return new Redactor(new PiiScanner(all, Map.of(), LOG_THRESHOLD));
    }

    /** {@code text} with every finding replaced by its type; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) return text;
        List<Finding> findings = scanner.scan(text);
        return findings.isEmpty() ? text : Anonymizer.apply(text, findings, f -> Action.REDACT, null);
    }
}
