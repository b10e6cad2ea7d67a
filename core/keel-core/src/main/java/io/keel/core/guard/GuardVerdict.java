package io.keel.core.guard;

import java.util.List;
import java.util.Objects;

/**
 * A guard's decision on one text. A refusal is a normal verdict, not an exception.
 *
 * @param text   the text to pass on: unchanged for ALLOW, rewritten for REDACT, a refusal message for BLOCK
 * @param reason why the guard blocked or rewrote, for the caller; null for ALLOW
 */
public record GuardVerdict(Decision decision, String text, List<Finding> findings, String policyVersion, String reason) {
    public enum Decision { ALLOW, REDACT, BLOCK }

    public GuardVerdict {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(text, "text");
        findings = List.copyOf(findings);
    }

    public static GuardVerdict allow(String text, String policyVersion) {
        return new GuardVerdict(Decision.ALLOW, text, List.of(), policyVersion, null);
    }
}
