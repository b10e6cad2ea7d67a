package io.keel.test;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.guard.Guard;
import io.keel.core.guard.GuardVerdict;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guard that implements only {@link Guard#inspect} — it blocks AWS access keys and redacts e-mail addresses — passes
 * the guard contract through the SPI's default, buffering {@link Guard#stream()}.
 */
class InspectOnlyGuardContractTest extends GuardContractTest {
    private static final Pattern KEY = Pattern.compile("AKIA[0-9A-Z]{16}");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");

    @Override
    protected Guard createGuard() {
        return new Guard() {
            @Override
            public String name() {
                return "rules";
            }

            @Override
            public GuardVerdict inspect(String text, Direction direction) {
                List<Finding> findings = new ArrayList<>();
                Matcher key = KEY.matcher(text);
                while (key.find()) findings.add(new Finding("AWS_ACCESS_KEY", key.start(), key.end(), 1.0, "rules"));
                if (!findings.isEmpty()) {
                    return new GuardVerdict(GuardVerdict.Decision.BLOCK, "Withheld: the text holds an access key.", findings,
                            "rules@1", "AWS_ACCESS_KEY found");
                }
                Matcher email = EMAIL.matcher(text);
                StringBuilder out = new StringBuilder();
                while (email.find()) {
                    findings.add(new Finding("EMAIL_ADDRESS", email.start(), email.end(), 1.0, "rules"));
                    email.appendReplacement(out, "<EMAIL_ADDRESS>");
                }
                email.appendTail(out);
                if (findings.isEmpty()) return GuardVerdict.allow(text, "rules@1");
                return new GuardVerdict(GuardVerdict.Decision.REDACT, out.toString(), findings, "rules@1", "rewrote EMAIL_ADDRESS");
            }
        };
    }
}
