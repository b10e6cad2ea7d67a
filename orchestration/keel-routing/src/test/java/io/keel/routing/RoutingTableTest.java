package io.keel.routing;

import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.routing.intent.IntentPrediction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingTableTest {
    @TempDir
    Path dir;

    static final String TABLE = """
            name: support
            models: [auto, smart]
            default: gpt-large
            rules:
              - name: acme
                when: {tenants: [acme]}
                to: gpt-acme
              - name: batch-key
                when: {keys: [keel_live_batch]}
                to: gpt-small
              - name: long
                when: {min_tokens: 50}
                to: gpt-long
              - name: economy
                when: {cost_tiers: [Economy]}
                to: agent:thrifty
              - name: acme-economy
                when: {tenants: [acme], cost_tiers: [economy]}
                to: rag:never-reached
            """;

    static Caller caller(String tenant, String key) {
        Principal p = new Principal(key, tenant, null, Set.of(Role.DEVELOPER), Set.of(), Set.of(), null);
        return new Caller(tenant, null, key, null, p);
    }

    static RouteFacts facts(Caller caller, long tokens, String tier) {
        return new RouteFacts(caller, tokens, tier, () -> IntentPrediction.NONE);
    }

    RoutingTable load(String yaml) throws IOException {
        Path f = dir.resolve("routing.yaml");
        Files.writeString(f, yaml);
        return RoutingFiles.load(f, null);
    }

    @Test
    void theFirstMatchingRuleDecidesInFileOrder() throws IOException {
        RoutingTable t = load(TABLE);
        assertThat(t.routes("auto")).isTrue();
        assertThat(t.routes("smart")).isTrue();
        assertThat(t.routes("gpt-large")).isFalse();
        // acme with the economy tier matches rules 1, 4 and 5: the first one wins
        RouteDecision d = t.decide(facts(caller("acme", "keel_live_a"), 10, "economy"));
        assertThat(d.rule()).isEqualTo("acme");
        assertThat(d.target()).isEqualTo(RouteTarget.parse("gpt-acme"));
        assertThat(d.reason()).isEqualTo("tenant: tenant=acme");
        // another tenant, big prompt and economy: 'long' comes before 'economy'
        d = t.decide(facts(caller("globex", "keel_live_g"), 500, "economy"));
        assertThat(d.rule()).isEqualTo("long");
        assertThat(d.reason()).isEqualTo("tokens: tokens=500");
        d = t.decide(facts(caller("globex", "keel_live_g"), 10, "ECONOMY"));
        assertThat(d.rule()).isEqualTo("economy");
        assertThat(d.target().kind()).isEqualTo(RouteTarget.Kind.AGENT);
        assertThat(d.target().modelName()).isEqualTo("agent:thrifty");
        d = t.decide(facts(caller("globex", "keel_live_batch"), 10, null));
        assertThat(d.rule()).isEqualTo("batch-key");
        d = t.decide(facts(caller("globex", "keel_live_g"), 10, null));
        assertThat(d.rule()).isEqualTo(RoutingTable.DEFAULT_RULE);
        assertThat(d.target().name()).isEqualTo("gpt-large");
        assertThat(d.reason()).startsWith("default:");
    }

    @Test
    void tenantAndKeyRulesReadTheCredentialNeverTheHeaders() throws IOException {
        RoutingTable t = load(TABLE);
        // open mode: X-Keel-Tenant: acme and X-Keel-App: keel_live_batch arrive as tags, with no credential
        Caller declared = Caller.fromHeaders(h -> switch (h) {
            case "X-Keel-Tenant" -> "acme";
            case "X-Keel-App" -> "keel_live_batch";
            default -> null;
        });
        assertThat(declared.tenant()).isEqualTo("acme");
        RouteDecision d = t.decide(facts(declared, 10, null));
        assertThat(d.rule()).isEqualTo(RoutingTable.DEFAULT_RULE);
        // the same tenant from a credential matches
        assertThat(t.decide(facts(caller("acme", "keel_live_x"), 10, null)).rule()).isEqualTo("acme");
    }

    @Test
    void appRulesMatchTheAppTheCredentialStandsFor() throws IOException {
        RoutingTable t = load("""
                default: m
                rules:
                  - {name: bot, when: {apps: [support-bot]}, to: small}
                """);
        assertThat(t.models()).containsExactly("auto");
        Principal p = new Principal("keel_live_gw", "acme", null, Set.of(Role.DEVELOPER), Set.of(), Set.of(Principal.ACT_AS), null);
        assertThat(t.decide(facts(new Caller("acme", null, "support-bot", null, p), 1, null)).rule()).isEqualTo("bot");
        assertThat(t.decide(facts(new Caller("acme", null, "support-bot", null), 1, null)).rule()).isEqualTo("default");
    }

    @Test
    void aBadFileIsRejectedWithTheKeyNamed() throws IOException {
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, when: {tenant: [x]}, to: m}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("tenant").hasMessageContaining("tenants");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("'to'");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, to: x}\n  - {name: a, to: y}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("two rules named 'a'");
        assertThatThrownBy(() -> load("rules: []\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("default");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, when: {intents: [billing]}, to: x}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("billing");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, when: {min_tokens: 9, max_tokens: 3}, to: x}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, cascade: {cheap: agent:x, strong: y}}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("two models");
        assertThatThrownBy(() -> load("default: m\nrules:\n  - {name: a, cascade: {cheap: x, strong: y, signal: vibes}}\n"))
                .isInstanceOf(KeelException.class).hasMessageContaining("refusal, verifier, groundedness");
        assertThatThrownBy(() -> load("- a\n- b\n")).isInstanceOf(KeelException.class).hasMessageContaining("mapping");
    }

    @Test
    void targetsParseByPrefix() {
        assertThat(RouteTarget.parse("gpt-4o")).isEqualTo(new RouteTarget(RouteTarget.Kind.MODEL, "gpt-4o"));
        assertThat(RouteTarget.parse("model:gpt-4o")).isEqualTo(new RouteTarget(RouteTarget.Kind.MODEL, "gpt-4o"));
        assertThat(RouteTarget.parse("agent:billing").modelName()).isEqualTo("agent:billing");
        assertThat(RouteTarget.parse("rag:handbook").kind()).isEqualTo(RouteTarget.Kind.RAG);
        assertThatThrownBy(() -> RouteTarget.parse("agent:")).isInstanceOf(IllegalArgumentException.class);
    }
}
