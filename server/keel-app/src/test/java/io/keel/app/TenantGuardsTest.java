package io.keel.app;

import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A tenant's guard policy must exist: a misspelt name, a missing folder or a disabled guard stop the start. */
class TenantGuardsTest {
    @TempDir
    Path dir;

    private Map<String, ?> build(Map<String, Object> tree) {
        try (Closeables closeables = new Closeables()) {
            return TenantGuards.build(KeelConfig.fromTree(tree, Map.of()), () -> {
                throw new AssertionError("no guard is built when the configuration is wrong");
            }, closeables);
        }
    }

    @Test
    void noTenantPolicyBuildsNothing() {
        assertThat(build(Map.of("tenants", Map.of("acme", Map.of("allowed_models", "m"))))).isEmpty();
    }

    @Test
    void mistakesAreNamed() throws Exception {
        Files.writeString(dir.resolve("strict.yaml"), "name: strict\nversion: \"1\"\n");
        assertThatThrownBy(() -> build(Map.of("guard", Map.of("policies_dir", dir.toString()),
                "tenants", Map.of("acme", Map.of("guard_policy", "strikt")))))
                .isInstanceOf(KeelException.class).hasMessageContaining("tenants.acme.guard_policy 'strikt'").hasMessageContaining("[strict]");
        assertThatThrownBy(() -> build(Map.of("tenants", Map.of("acme", Map.of("guard_policy", "strict")))))
                .isInstanceOf(KeelException.class).hasMessageContaining("guard.policies_dir");
        assertThatThrownBy(() -> build(Map.of("guard", Map.of("enabled", false, "policies_dir", dir.toString()),
                "tenants", Map.of("acme", Map.of("guard_policy", "strict")))))
                .isInstanceOf(KeelException.class).hasMessageContaining("guard.enabled is false");
    }
}
