package io.keel.guard;

import io.keel.core.config.ConfigNode;

import java.nio.file.Path;

/**
 * The security layer's switches ({@code guard:} in keel.yaml).
 *
 * @param enabled whether input and output guards run in the query pipeline
 * @param policy      policy file; null means the bundled default policy (docs/security.md)
 * @param policiesDir a folder of named policies ({@code *.yaml}) that tenants choose from with
 *                    {@code tenants.NAME.guard_policy}, or null
 */
public record GuardConfig(boolean enabled, Path policy, Path policiesDir) {
    /** Without per-tenant policies. */
    public GuardConfig(boolean enabled, Path policy) {
        this(enabled, policy, null);
    }

    /** Reads the {@code guard} section: {@code enabled} (default true), {@code policy} and {@code policies_dir}. */
    public static GuardConfig from(ConfigNode node) {
        String policy = node.string("policy", null);
        String dir = node.string("policies_dir", null);
        return new GuardConfig(node.bool("enabled", true), policy == null ? null : Path.of(policy), dir == null ? null : Path.of(dir));
    }
}
