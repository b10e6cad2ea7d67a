package io.keel.experiments;

import io.keel.core.answer.Caller;
import io.keel.core.error.KeelException;
import io.keel.core.pipeline.QueryRequest;
import io.keel.core.pipeline.Variant;
import io.keel.core.query.Query;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExperimentResolverTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    static final String THREE_ARMS = """
            name: retrieval-modes
            salt: rm-1
            unit: user
            variants:
              - name: control
                weight: 50
              - name: bm25
                weight: 30
                overrides:
                  retrieval: {mode: bm25, top_k: 8}
              - name: dense
                weight: 20
                overrides: {retrieval.mode: dense}
            """;

    static QueryRequest request(String user) {
        return request(new Caller("acme", user, "support", null), "/v1/query", "r-" + user);
    }

    static QueryRequest request(Caller caller, String route, String id) {
        return QueryRequest.start(id, route, Query.of("what is keel?", 5), caller);
    }

    static ExperimentResolver resolver(Clock clock, String... files) {
        List<Experiment> list = new java.util.ArrayList<>();
        for (int i = 0; i < files.length; i++) list.add(ExperimentFiles.parse(files[i], "exp" + i + ".yaml"));
        return new ExperimentResolver(new ExperimentSet(list), clock, r -> null);
    }

    static ExperimentResolver resolver(String... files) {
        return resolver(Clock.fixed(NOW, ZoneOffset.UTC), files);
    }

    static Map<String, Integer> split(ExperimentResolver r, int units) {
        Map<String, Integer> counts = new HashMap<>();
        for (int u = 0; u < units; u++) counts.merge(String.valueOf(r.resolve(request("user-" + u)).name()), 1, Integer::sum);
        return counts;
    }

    @Test
    void splitIsWithinOnePointOfTheWeightsOver100kUnits() {
        Map<String, Integer> counts = split(resolver(THREE_ARMS), 100_000);
        System.out.printf("Split of 100,000 users over 50/30/20: control %.4f, bm25 %.4f, dense %.4f%n",
                counts.get("control") / 100_000.0, counts.get("bm25") / 100_000.0, counts.get("dense") / 100_000.0);
        assertThat(counts.get("control") / 100_000.0).isCloseTo(0.50, within(0.01));
        assertThat(counts.get("bm25") / 100_000.0).isCloseTo(0.30, within(0.01));
        assertThat(counts.get("dense") / 100_000.0).isCloseTo(0.20, within(0.01));
        assertThat(counts).containsOnlyKeys("control", "bm25", "dense");
    }

    @Test
    void shadowArmsGetNoUnitsButRideOnEveryEnrolledRequestOfEachLayer() {
        String shadowed = """
                name: big-model
                unit: user
                layer: models
                holdout: 10
                variants:
                  - name: control
                  - name: big
                    shadow: true
                    overrides: {model: big}
                """;
        String retrieval = "name: modes\nunit: user\nvariants: [{name: hybrid}, {name: bm25, overrides: {retrieval.mode: bm25}}]\n";
        ExperimentResolver r = resolver(shadowed, retrieval);
        int holdouts = 0;
        for (int u = 0; u < 2_000; u++) {
            Variant v = r.resolve(request("user-" + u));
            assertThat(v.name()).doesNotContain("big");
            if (v.name().startsWith("holdout+")) {
                holdouts++;
                assertThat(v.shadows()).as("holdout units are not copied").isEmpty();
                continue;
            }
            assertThat(v.name()).startsWith("control+");
            assertThat(v.shadows()).singleElement().isEqualTo(new Variant("big-model", "big", Map.of("model", "big")));
        }
        assertThat(holdouts).isBetween(150, 250);
    }

    @Test
    void aVariantCarriesItsFlattenedOverrides() {
        ExperimentResolver r = resolver(THREE_ARMS);
        for (int u = 0; ; u++) {
            Variant v = r.resolve(request("user-" + u));
            if (v.name().equals("bm25")) {
                assertThat(v.experiment()).isEqualTo("retrieval-modes");
                assertThat(v.overrides()).isEqualTo(Map.of("retrieval.mode", "bm25", "retrieval.top_k", 8));
                return;
            }
        }
    }

    @Test
    void theSameUnitGetsTheSameVariantOnEveryInstance() {
        ExperimentResolver one = resolver(THREE_ARMS);
        ExperimentResolver other = resolver(THREE_ARMS);
        for (int u = 0; u < 5_000; u++) {
            QueryRequest first = request(new Caller("acme", "user-" + u, null, null), "/v1/query", "a" + u);
            QueryRequest later = request(new Caller("other", "user-" + u, null, null), "/v1/retrieve", "b" + u);
            assertThat(other.resolve(later)).isEqualTo(one.resolve(first));
        }
    }

    @Test
    void theHashIsSha256AndReproducibleElsewhere() {
        // Python: (int.from_bytes(hashlib.sha256(b'exp-salt:user-42').digest()[:8], 'big') >> 11) / 2**53
        assertThat(Buckets.position("exp-salt:", "user-42")).isEqualTo(0.34839897895603467);
    }

    @Test
    void changingTheSaltReshufflesUnits() {
        ExperimentResolver a = resolver(THREE_ARMS);
        ExperimentResolver b = resolver(THREE_ARMS.replace("salt: rm-1", "salt: rm-2"));
        int same = 0;
        for (int u = 0; u < 10_000; u++) if (a.resolve(request("user-" + u)).equals(b.resolve(request("user-" + u)))) same++;
        assertThat(same / 10_000.0).isCloseTo(0.5 * 0.5 + 0.3 * 0.3 + 0.2 * 0.2, within(0.02));
    }

    @Test
    void experimentsInOneLayerNeverShareAUnit() {
        String a = """
                name: prompt-a
                layer: {name: prompts, range: [0, 40]}
                variants: [{name: c, overrides: {prompt: rag-answer@1}}, {name: t, overrides: {prompt: rag-answer@2}}]
                """;
        String b = """
                name: prompt-b
                layer: {name: prompts, range: [40, 100]}
                variants: [{name: c}, {name: t, overrides: {prompt: rag-answer@3}}]
                """;
        ExperimentResolver r = resolver(a, b);
        int inA = 0;
        int inB = 0;
        for (int u = 0; u < 20_000; u++) {
            Variant v = r.resolve(request("user-" + u));
            assertThat(v.experiment()).isIn("prompt-a", "prompt-b");
            if (v.experiment().equals("prompt-a")) inA++;
            else inB++;
        }
        assertThat(inA / 20_000.0).isCloseTo(0.4, within(0.01));
        assertThat(inB / 20_000.0).isCloseTo(0.6, within(0.01));
    }

    @Test
    void experimentsInDifferentLayersCombine() {
        String prompts = "name: p\nlayer: prompts\nvariants: [{name: c}, {name: t, overrides: {prompt: x@2}}]\n";
        ExperimentResolver r = resolver(THREE_ARMS, prompts);
        Variant v = r.resolve(request("user-7"));
        assertThat(v.experiment()).isEqualTo("p+retrieval-modes");
        assertThat(v.name()).matches("(c|t)\\+(control|bm25|dense)");
        ExperimentResolver alone = resolver(THREE_ARMS);
        assertThat(v.overrides()).containsAllEntriesOf(alone.resolve(request("user-7")).overrides());
    }

    @Test
    void overlappingLayerRangesAndSharedSettingsAcrossLayersAreRejected() {
        String a = "name: a\nlayer: {name: l, range: [0, 60]}\nvariants: [{name: c}, {name: t}]\n";
        String b = "name: b\nlayer: {name: l, range: [50, 100]}\nvariants: [{name: c}, {name: t}]\n";
        assertThatThrownBy(() -> resolver(a, b)).isInstanceOf(KeelException.class)
                .hasMessageContaining("exp1.yaml").hasMessageContaining("overlaps experiment 'a'");
        String sequential = b + "start: 2027-01-01T00:00:00Z\n";
        String first = a + "stop: 2027-01-01T00:00:00Z\n";
        assertThat(resolver(first, sequential)).isNotNull();
        String other = "name: o\nvariants: [{name: c}, {name: t, overrides: {retrieval.mode: hybrid}}]\n";
        assertThatThrownBy(() -> resolver(THREE_ARMS, other)).isInstanceOf(KeelException.class)
                .hasMessageContaining("override 'retrieval.mode' is already varied by experiment 'o'")
                .hasMessageContaining("must share a layer");
        String byTenant = "name: b\nunit: tenant\nlayer: {name: l, range: [60, 100]}\nvariants: [{name: c}, {name: t}]\n";
        assertThatThrownBy(() -> resolver(a, byTenant)).isInstanceOf(KeelException.class).hasMessageContaining("randomises by user");
    }

    @Test
    void holdoutUnitsGetNoOverridesAndAreStamped() {
        ExperimentResolver r = resolver(THREE_ARMS.replace("unit: user", "unit: user\nholdout: 10"));
        Map<String, Integer> counts = split(r, 50_000);
        assertThat(counts.get("holdout") / 50_000.0).isCloseTo(0.10, within(0.01));
        assertThat(counts.get("control") / 50_000.0).isCloseTo(0.45, within(0.01));
        for (int u = 0; u < 200; u++) {
            Variant v = r.resolve(request("user-" + u));
            if (v.name().equals("holdout")) assertThat(v.overrides()).isEmpty();
        }
    }

    @Test
    void rampingUpKeepsEnrolledUnitsInTheirArm() {
        ExperimentResolver at20 = resolver(THREE_ARMS + "traffic: 20\n");
        ExperimentResolver at50 = resolver(THREE_ARMS + "traffic: 50\n");
        int enrolled = 0;
        for (int u = 0; u < 20_000; u++) {
            Variant v = at20.resolve(request("user-" + u));
            if (!v.assigned()) continue;
            enrolled++;
            assertThat(at50.resolve(request("user-" + u))).isEqualTo(v);
        }
        assertThat(enrolled / 20_000.0).isCloseTo(0.20, within(0.01));
    }

    @Test
    void targetingLimitsTenantsAppsAndRoutes() {
        ExperimentResolver r = resolver(THREE_ARMS + "targeting: {tenants: [acme], apps: [support], routes: [/v1/query]}\n");
        assertThat(r.resolve(request(new Caller("acme", "u1", "support", null), "/v1/query", "1")).assigned()).isTrue();
        assertThat(r.resolve(request(new Caller("globex", "u1", "support", null), "/v1/query", "2")).assigned()).isFalse();
        assertThat(r.resolve(request(new Caller("acme", "u1", null, null), "/v1/query", "3")).assigned()).isFalse();
        assertThat(r.resolve(request(new Caller("acme", "u1", "support", null), "/v1/retrieve", "4")).assigned()).isFalse();
        assertThat(r.resolve(request(new Caller("acme", null, "support", null), "/v1/query", "5"))).isEqualTo(Variant.NONE);
    }

    @Test
    void startAndStopFollowTheInjectedClock() {
        String timed = THREE_ARMS + "start: 2026-12-06T12:00:00Z\nstop: 2026-12-07T00:00:00+00:00\n";
        assertThat(resolver(Clock.fixed(NOW.minusMillis(1), ZoneOffset.UTC), timed).resolve(request("u")).assigned()).isFalse();
        assertThat(resolver(Clock.fixed(NOW, ZoneOffset.UTC), timed).resolve(request("u")).assigned()).isTrue();
        assertThat(resolver(Clock.fixed(Instant.parse("2026-12-06T23:59:59Z"), ZoneOffset.UTC), timed).resolve(request("u")).assigned()).isTrue();
        assertThat(resolver(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC), timed).resolve(request("u")).assigned()).isFalse();
    }

    @Test
    void requestAndApiKeyUnits() {
        ExperimentResolver perRequest = resolver(THREE_ARMS.replace("unit: user", "unit: request"));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            counts.merge(perRequest.resolve(request(Caller.ANONYMOUS, "/v1/query", "req-" + i)).name(), 1, Integer::sum);
        }
        assertThat(counts.get("control") / 20_000.0).isCloseTo(0.5, within(0.015));
        Experiment byKey = ExperimentFiles.parse(THREE_ARMS.replace("unit: user", "unit: api_key"), "k.yaml");
        ExperimentResolver keyed = new ExperimentResolver(new ExperimentSet(List.of(byKey)), Clock.fixed(NOW, ZoneOffset.UTC),
                req -> req.caller().app() == null ? null : "key-" + req.caller().app());
        assertThat(keyed.resolve(request(Caller.ANONYMOUS, "/v1/query", "x"))).isEqualTo(Variant.NONE);
        assertThat(keyed.resolve(request(new Caller("t", null, "a1", null), "/v1/query", "y")))
                .isEqualTo(keyed.resolve(request(new Caller("t2", "u", "a1", null), "/v1/chat/completions", "z")));
    }

    @Test
    void noExperimentsMeansNoVariant() {
        assertThat(new ExperimentResolver(new ExperimentSet(List.of())).resolve(request("u"))).isEqualTo(Variant.NONE);
    }
}
