package io.keel.guard.eval;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.PhoneRecognizer;
import io.keel.guard.pii.PiiRecognizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Scores PII recognizers against Presidio's recognizer cases the way Presidio's own tests do: the recognizer for the
 * case's entity type runs alone, with no threshold and no context scoring, and must report exactly the expected
 * findings.
 */
final class PiiEval {
    private static final int FAILURES_PER_TYPE = 5;

    private final List<PiiRecognizer> recognizers;

    PiiEval(List<PiiRecognizer> recognizers) {
        this.recognizers = List.copyOf(recognizers);
    }

    PiiEvalReport run(List<PresidioCase> cases) {
        Map<String, int[]> counts = new TreeMap<>();
        Map<String, Integer> unsupported = new TreeMap<>();
        Map<String, String> unsupportedWhy = new TreeMap<>();
        List<PiiEvalReport.Failure> failures = new ArrayList<>();
        Map<String, Integer> failuresPerType = new TreeMap<>();
        for (PresidioCase c : cases) {
            PiiRecognizer r = recognizerFor(c);
            if (r == null || (c.modelOnly() && !r.statistical())) {
                unsupported.merge(c.entityType(), 1, Integer::sum);
                unsupportedWhy.put(c.entityType(), c.modelOnly() ? "needs a statistical NER model"
                        : c.entityType().equals(PresidioCase.GENERIC) ? "tests Presidio's generic deny-list/pattern machinery"
                        : c.entityType().equals(PresidioCase.HELPER) ? "tests a recognizer's helper function, not recognition"
                        : "no recognizer");
                continue;
            }
            List<Finding> found = r.recognize(c.text()).stream().filter(f -> f.type().equals(c.entityType())).toList();
            Set<String> actual = found.stream().map(f -> f.start() + "-" + f.end()).collect(Collectors.toSet());
            Set<String> expected = c.spans().stream().map(s -> s[0] + "-" + s[1]).collect(Collectors.toSet());
            boolean pass = found.size() == c.expectedCount() && (expected.isEmpty() || expected.equals(actual));
            int[] row = counts.computeIfAbsent(c.entityType(), k -> new int[5]);
            row[0]++;
            if (pass) row[1]++;
            if (expected.isEmpty()) {
                int tp = Math.min(found.size(), c.expectedCount());
                row[2] += tp;
                row[3] += found.size() - tp;
                row[4] += c.expectedCount() - tp;
            } else {
                Set<String> hit = new HashSet<>(actual);
                hit.retainAll(expected);
                row[2] += hit.size();
                row[3] += actual.size() - hit.size();
                row[4] += expected.size() - hit.size();
            }
            if (!pass && failuresPerType.merge(c.entityType(), 1, Integer::sum) <= FAILURES_PER_TYPE) {
                failures.add(new PiiEvalReport.Failure(c.entityType(), c.text(),
                        c.expectedCount() + " " + new java.util.TreeSet<>(expected),
                        found.size() + " " + new java.util.TreeSet<>(actual)));
            }
        }
        List<PiiEvalReport.Row> rows = counts.entrySet().stream()
                .map(e -> new PiiEvalReport.Row(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3], e.getValue()[4]))
                .toList();
        List<PiiEvalReport.Unsupported> un = unsupported.entrySet().stream()
                .map(e -> new PiiEvalReport.Unsupported(e.getKey(), e.getValue(), unsupportedWhy.get(e.getKey()))).toList();
        return new PiiEvalReport(rows, un, failures);
    }

    private PiiRecognizer recognizerFor(PresidioCase c) {
        if (c.entityType().equals("PHONE_NUMBER") && c.leniency() >= 0) {
            return new PhoneRecognizer(PhoneRecognizer.DEFAULT_REGIONS, c.leniency());
        }
        for (PiiRecognizer r : recognizers) if (r.entityTypes().contains(c.entityType())) return r;
        return null;
    }
}
