package io.keel.app.config;

import io.keel.core.config.ConfigNode;
import java.nio.file.Path;

/**
 * The security layer's switches ({@code guard.*}).
 *
 * @param enabled whether input and output guards run in the query pipeline
 * @param policy  policy file; null means the bundled default policy (docs/security.md)
 */
public record GuardSettings(boolean enabled, Path policy) {
    static GuardSettings from(ConfigNode node) {
        String policy = node.string("policy", null);
        return new GuardSettings(node.bool("enabled", true), policy == null || policy.isBlank() ? null : Path.of(policy));
    }
}
