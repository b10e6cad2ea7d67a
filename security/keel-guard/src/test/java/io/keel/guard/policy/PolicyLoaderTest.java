package io.keel.guard.policy;

import io.keel.core.guard.Direction;
import io.keel.guard.action.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyLoaderTest {
    static final String HR_POLICY = """
            name: hr
            version: "3"
            fail_mode: open
            detector_timeout_ms: 120
            pii:
              default_action: pseudonymize
              default_threshold: 0.6
              directions: [input]
              entities:
                DATE_TIME: { action: redact, threshold: 0.3 }
                CREDIT_CARD: block
            injection: { threshold: 0.7, action: block, sentence_level: false }
            exfiltration:
              allowed_hosts: ["*.example.com"]
              canaries: [keel-canary-abc]
            topics:
              - name: salaries
                action: block
                keywords: [salary band, pay scale]
                patterns: ['\\bhow much does \\w+ earn\\b']
            """;

    @Test
    void readsEverySection() {
        GuardPolicy p = PolicyLoader.fromYaml(HR_POLICY);
        assertThat(p.id()).isEqualTo("hr@3");
        assertThat(p.failClosed()).isFalse();
        assertThat(p.detectorTimeout()).isEqualTo(Duration.ofMillis(120));
        assertThat(p.pii().actionFor("DATE_TIME")).isEqualTo(Action.REDACT);
        assertThat(p.pii().thresholdFor("DATE_TIME")).isEqualTo(0.3);
        assertThat(p.pii().actionFor("CREDIT_CARD")).isEqualTo(Action.BLOCK);
        assertThat(p.pii().actionFor("EMAIL_ADDRESS")).isEqualTo(Action.PSEUDONYMIZE);
        assertThat(p.pii().thresholdFor("EMAIL_ADDRESS")).isEqualTo(0.6);
        assertThat(p.pii().directions()).containsExactly(Direction.INPUT);
        assertThat(p.injection().sentenceLevel()).isFalse();
        assertThat(p.exfiltration().allowedHosts().allows("https://a.example.com/x")).isTrue();
        assertThat(p.topics()).singleElement().satisfies(t -> {
            assertThat(t.keywords()).containsExactly("salary band", "pay scale");
            assertThat(t.patterns().getFirst().matcher("How much does Bob earn?").find()).isTrue();
        });
    }

    @Test
    void typosFailWithTheKeyPath() {
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: 1\npii:\n  default_acton: redact\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pii.default_acton");
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: 1\ninjection:\n  action: shout\n"))
                .hasMessageContaining("injection.action").hasMessageContaining("unknown action 'shout'");
        assertThatThrownBy(() -> PolicyLoader.fromYaml("version: 1\n")).hasMessageContaining("name is required");
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: 1\ntopics:\n  - name: t\n    patterns: ['(']\n"))
                .hasMessageContaining("topics[0].patterns");
    }

    @Test
    void countryPacksAreAddedByPolicyAndUnknownCodesAreNamed() {
        // a postcode is a weak shape (0.1, 0.45 next to "postcode"): a policy that wants it sets a threshold
        GuardPolicy german = PolicyLoader.fromYaml(
                "name: de\nversion: 1\npii:\n  countries: [DE, uk]\n  entities:\n    UK_POSTCODE: {threshold: 0.4}\n");
        assertThat(german.pii().countries()).containsExactly("de", "gb");
        assertThat(PolicyLoader.defaults().pii().countries()).isEmpty();
        try (var guard = io.keel.guard.PolicyGuard.builder(german).build();
             var plain = io.keel.guard.PolicyGuard.builder(PolicyLoader.defaults()).build()) {
            String text = "Please update my postcode to SW1A 1AA, my postcode has changed.";
            assertThat(guard.inspect(text, Direction.INPUT).findings()).extracting(f -> f.type()).contains("UK_POSTCODE");
            assertThat(plain.inspect(text, Direction.INPUT).findings()).extracting(f -> f.type()).doesNotContain("UK_POSTCODE");
        }
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: 1\npii:\n  countries: [atlantis]\n"))
                .hasMessageContaining("pii.countries").hasMessageContaining("'atlantis'").hasMessageContaining("de, es");
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: 1\npii:\n  countries: de\n"))
                .hasMessageContaining("pii.countries must be a list");
    }

    @Test
    void aModelThatIsNotOnTheClassPathIsNamedWhenTheGuardIsBuilt() {
        GuardPolicy p = PolicyLoader.fromYaml("name: x\nversion: 1\npii:\n  models: [nlp4j-ner]\n");
        assertThat(p.pii().models()).containsExactly("nlp4j-ner");
        assertThatThrownBy(() -> io.keel.guard.PolicyGuard.builder(p).build())
                .hasMessageContaining("pii.models names 'nlp4j-ner'").hasMessageContaining("keel-guard-ner");
    }

    @Test
    void injectionThresholdsBySourceAndContentSafetyCategories() {
        GuardPolicy p = PolicyLoader.fromYaml("""
                name: x
                version: "1"
                injection: { threshold: 0.4, block_threshold: 0.85, document_threshold: 0.95 }
                content_safety: { default_action: block, categories: { privacy: allow, hate_harassment: redact } }
                """);
        assertThat(p.injection().threshold()).isEqualTo(0.4);
        assertThat(p.injection().actionFor(0.6)).isEqualTo(Action.ALLOW);
        assertThat(p.injection().actionFor(0.85)).isEqualTo(Action.BLOCK);
        assertThat(p.injection().documentThreshold()).isEqualTo(0.95);
        assertThat(p.contentSafety().enabled()).isTrue();
        assertThat(p.contentSafety().actionFor("privacy")).isEqualTo(Action.ALLOW);
        assertThat(p.contentSafety().actionFor("violence_weapons")).isEqualTo(Action.BLOCK);
        // a policy without the section keeps its old behaviour: content safety off, every detection acted on
        GuardPolicy old = PolicyLoader.fromYaml("name: x\nversion: \"1\"\n");
        assertThat(old.contentSafety().enabled()).isFalse();
        assertThat(old.injection().actionFor(old.injection().threshold())).isEqualTo(Action.BLOCK);
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: \"1\"\ncontent_safety: { categories: { gore: block } }\n"))
                .hasMessageContaining("content_safety.categories.gore: unknown category");
        assertThatThrownBy(() -> PolicyLoader.fromYaml("name: x\nversion: \"1\"\ninjection: { threshold: 0.6, block_threshold: 0.5 }\n"))
                .hasMessageContaining("block_threshold");
    }

    @Test
    void theBundledDefaultLoads() {
        GuardPolicy p = PolicyLoader.defaults();
        assertThat(p.failClosed()).isTrue();
        assertThat(p.injection().action()).isEqualTo(Action.BLOCK);
        assertThat(p.pii().actionFor("AWS_ACCESS_KEY")).isEqualTo(Action.BLOCK);
    }

    @Test
    void aFolderOfPoliciesIsKeyedByName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hr.yaml"), HR_POLICY);
        Files.writeString(dir.resolve("public.yml"), "name: public\nversion: 1\n");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        assertThat(PolicyLoader.loadAll(dir)).containsOnlyKeys("hr", "public");
    }
}
