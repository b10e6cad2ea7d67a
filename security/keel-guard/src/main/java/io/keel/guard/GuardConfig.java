package io.keel.guard;

import io.keel.core.config.ConfigNode;

import java.nio.file.Path;

/**
 * The security layer's switches ({@code guard:} in keel.yaml).
 *
 * @param enabled whether input and output guards run in the query pipeline
 * @param policy  policy file; null means the bundled default policy (docs/security.md)
 */
public record GuardConfig(boolean enabled, Path policy) {
    /** Reads the {@code guard} section: {@code enabled} (default true) and {@code policy}. */
    public static GuardConfig from(ConfigNode node) {
        String policy = node.string("policy", null);
        return new GuardConfig(node.bool("enabled", true), policy == null ? null : Path.of(policy));
    }
}
