package io.keel.prompts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which exact prompt produced an answer. The hash is the first 12 hex digits of the SHA-256 of the prompt's canonical
 * content (messages, model parameters, input schema), so any edit that can change what the model sees or how it is
 * asked yields a new version, while edits to tests or the description do not. The optional semver is the author's
 * name for that content. Shown as {@code id@hash} or {@code id@semver+hash}.
 *
 * @param id     the prompt id
 * @param hash   12 lower-case hex digits
 * @param semver e.g. {@code 1.2.0}, or null
 */
public record PromptVersion(String id, String hash, String semver) {
    /** Semantic versioning 2.0.0 without build metadata (the hash takes that place). */
    public static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{12}");

    public PromptVersion {
        Objects.requireNonNull(id, "id");
        if (hash == null || !HASH.matcher(hash).matches()) throw new IllegalArgumentException("hash must be 12 hex digits: " + hash);
        if (semver != null && !SEMVER.matcher(semver).matches()) {
            throw new IllegalArgumentException("'" + semver + "' is not a semantic version like 1.2.0");
        }
    }

    /** The version of {@code canonicalContent} for prompt {@code id}. */
    static PromptVersion of(String id, String canonicalContent, String semver) {
        return new PromptVersion(id, sha256(canonicalContent).substring(0, 12), semver);
    }

    /** {@code hash} or {@code semver+hash}: the part after the {@code @}. */
    public String ref() {
        return semver == null ? hash : semver + "+" + hash;
    }

    @Override
    public String toString() {
        return id + "@" + ref();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
