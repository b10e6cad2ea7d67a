package io.keel.guard;

import io.keel.core.guard.Finding;
import io.keel.core.guard.GuardVerdict;
import io.keel.guard.injection.InjectionResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full result of one inspection, for {@code POST /v1/guard/scan}: the verdict plus the injection score, which
 * is reported even when it is below the threshold.
 *
 * @param injection null when the policy does not check injection in this direction
 */
public record ScanReport(GuardVerdict verdict, InjectionResult injection) {
    /**
     * The response body of {@code POST /v1/guard/scan}, ready for a JSON writer:
     * {@code {"decision", "redacted_text", "findings": [{"type","start","end","score"}], "injection": {"score","flagged",
     * "rule_score","classifier_score"},
     * "policy_version", "reason"}}. {@code injection} is null when it was not checked; the decision is lower case.
     */
    public Map<String, Object> toWire() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", verdict.decision().name().toLowerCase(Locale.ROOT));
        body.put("redacted_text", verdict.text());
        List<Map<String, Object>> findings = verdict.findings().stream().map(ScanReport::wire).toList();
        body.put("findings", findings);
        body.put("injection", injection == null ? null : Map.of("score", round(injection.score()), "flagged", injection.flagged(),
                "rule_score", round(injection.ruleScore()), "classifier_score", round(injection.classifierScore())));
        body.put("policy_version", verdict.policyVersion());
        body.put("reason", verdict.reason());
        return body;
    }

    private static Map<String, Object> wire(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", f.type());
        m.put("start", f.start());
        m.put("end", f.end());
        m.put("score", round(f.score()));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
