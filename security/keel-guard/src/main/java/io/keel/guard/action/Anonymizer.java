package io.keel.guard.action;

import io.keel.core.guard.Finding;
import io.keel.guard.pii.Findings;

import java.util.List;
import java.util.function.Function;

/** Rewrites a text according to the action chosen for each finding. Stateless and thread-safe. */
public final class Anonymizer {
    private Anonymizer() {
    }

    /**
     * The text with each rewriting finding replaced. Where findings overlap, the higher-scored one wins.
     *
     * @param actionFor the action for a finding; findings whose action does not rewrite are left in place
     * @param session   where pseudonyms come from; required only if some action is {@link Action#PSEUDONYMIZE}
     */
    public static String apply(String text, List<Finding> findings, Function<Finding, Action> actionFor, PseudonymSession session) {
        List<Finding> rewrite = Findings.nonOverlapping(findings.stream().filter(f -> actionFor.apply(f).rewrites()).toList());
        if (rewrite.isEmpty()) return text;
        StringBuilder sb = new StringBuilder(text.length());
        int pos = 0;
        for (Finding f : rewrite) {
            sb.append(text, pos, f.start());
            String value = text.substring(f.start(), f.end());
            sb.append(switch (actionFor.apply(f)) {
                case MASK -> mask(value);
                case REDACT -> "<" + f.type() + ">";
                case PSEUDONYMIZE -> {
                    if (session == null) throw new IllegalArgumentException("pseudonymize needs a PseudonymSession");
                    yield session.tokenFor(f.type(), value);
                }
                default -> value;
            });
            pos = f.end();
        }
        return sb.append(text, pos, text.length()).toString();
    }

    /** Every letter and digit but the last four becomes {@code *}; short values (under 8 characters) are masked whole. */
    public static String mask(String value) {
        int alnum = (int) value.chars().filter(Character::isLetterOrDigit).count();
        int keep = alnum >= 8 ? 4 : 0;
        StringBuilder sb = new StringBuilder(value.length());
        int seen = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                seen++;
                sb.append(seen > alnum - keep ? c : '*');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
