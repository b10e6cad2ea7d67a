package io.keel.guard.action;

import java.util.Locale;

/** What a policy does with a finding. */
public enum Action {
    /** Leave the text as it is; the finding is still reported. */
    ALLOW,
    /** Replace characters with {@code *}, keeping separators and the last four letters or digits. */
    MASK,
    /** Replace the value with its type: {@code <EMAIL_ADDRESS>}. */
    REDACT,
    /** Replace the value with a per-request token ({@code <EMAIL_ADDRESS_1>}) that the caller can re-hydrate. */
    PSEUDONYMIZE,
    /** Refuse the whole text. */
    BLOCK;

    /** Parses {@code allow|mask|redact|pseudonymize|block}, case-insensitively. */
    public static Action parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown action '" + s + "': expected allow, mask, redact, pseudonymize or block");
        }
    }

    /** Whether this action rewrites the text. */
    public boolean rewrites() {
        return this == MASK || this == REDACT || this == PSEUDONYMIZE;
    }
}
