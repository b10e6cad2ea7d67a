package io.keel.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Which exact agent definition ran, versioned like prompts: the first 12 hex digits of the SHA-256 of the definition's
 * canonical content (model, prompt, tools, limits), with the author's optional semver. Shown as {@code name@hash} or
 * {@code name@semver+hash}.
 */
public record AgentVersion(String name, String hash, String semver) {
    public AgentVersion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hash, "hash");
    }

    static AgentVersion of(String name, String canonicalContent, String semver) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(canonicalContent.getBytes(StandardCharsets.UTF_8));
            return new AgentVersion(name, HexFormat.of().formatHex(d).substring(0, 12), semver);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code hash} or {@code semver+hash}. */
    public String ref() {
        return semver == null ? hash : semver + "+" + hash;
    }

    @Override
    public String toString() {
        return name + "@" + ref();
    }
}
