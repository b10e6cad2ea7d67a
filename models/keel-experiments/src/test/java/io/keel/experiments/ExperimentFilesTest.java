package io.keel.experiments;

import io.keel.core.error.KeelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExperimentFilesTest {
    @Test
    void readsEveryField() {
        Experiment e = ExperimentFiles.parse("""
                name: rag-v2
                description: new prompt and fewer chunks
                salt: s1
                unit: tenant
                layer: {name: rag, range: [10, 60]}
                traffic: 25
                holdout: 5
                targeting: {tenants: [acme, globex], apps: support, routes: [/v1/query]}
                start: 2026-12-01T00:00:00Z
                stop: 2027-01-01T00:00:00+01:00
                variants:
                  - {name: control, weight: 1}
                  - name: v2
                    weight: 3
                    overrides: {prompt: rag-answer@2, model: gpt-4o-mini, retrieval: {top_k: 4, candidates: 50}, generator.temperature: 0.2}
                """, "rag-v2.yaml");
        assertThat(e.name()).isEqualTo("rag-v2");
        assertThat(e.salt()).isEqualTo("s1");
        assertThat(e.unit()).isEqualTo(Unit.TENANT);
        assertThat(e.layer()).isEqualTo("rag");
        assertThat(e.layerFrom()).isEqualTo(10);
        assertThat(e.layerTo()).isEqualTo(60);
        assertThat(e.traffic()).isEqualTo(25);
        assertThat(e.holdout()).isEqualTo(5);
        assertThat(e.targeting().tenants()).containsExactlyInAnyOrder("acme", "globex");
        assertThat(e.targeting().apps()).containsExactly("support");
        assertThat(e.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(e.stop()).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        assertThat(e.variants().get(1).weight()).isEqualTo(3);
        assertThat(e.variants().get(1).overrides()).containsEntry("retrieval.top_k", 4).containsEntry("retrieval.candidates", 50)
                .containsEntry("prompt", "rag-answer@2").containsEntry("generator.temperature", 0.2);
    }

    @Test
    void defaultsAreTheNameAsSaltAndLayerAndTheUserUnit() {
        Experiment e = ExperimentFiles.parse("name: x\nvariants: [{name: a}, {name: b}]\n", "x.yaml");
        assertThat(e.salt()).isEqualTo("x");
        assertThat(e.layer()).isEqualTo("x");
        assertThat(e.unit()).isEqualTo(Unit.USER);
        assertThat(e.traffic()).isEqualTo(100);
        assertThat(e.variants()).allMatch(v -> v.weight() == 1);
    }

    @Test
    void mistakesNameTheFileAndTheField() {
        String ok = "name: x\nvariants: [{name: a}, {name: b}]\n";
        assertError(ok + "colour: red\n", "f.yaml: 'colour' is not a known key");
        assertError(ok.replace("name: x", "name: X Y"), "'name' must be 1-64 lower-case");
        assertError("name: x\nvariants: [{name: a}]\n", "'variants' must list at least two");
        assertError("name: x\nvariants: [{name: a}, {name: a}]\n", "'variants[1].name' repeats variant 'a'");
        assertError("name: x\nvariants: [{name: a}, {name: holdout}]\n", "reserved");
        assertError("name: x\nvariants: [{name: a, weight: 0}, {name: b}]\n", "'variants[0].weight' must be above 0");
        assertError("name: x\nvariants: [{name: a}, {name: b, overrides: {retrieval.mode: fuzzy}}]\n",
                "'variants[1].overrides.retrieval.mode' must be one of dense, bm25, hybrid");
        assertError("name: x\nvariants: [{name: a}, {name: b, overrides: {retrieval: {topk: 3}}}]\n",
                "'variants[1].overrides.retrieval.topk' is not a setting a variant can override");
        assertError("name: x\nvariants: [{name: a}, {name: b, overrides: {retrieval.top_k: 0}}]\n", "whole number from 1 to 1000");
        assertError(ok + "unit: visitor\n", "'unit' must be one of api_key, tenant, user, request");
        assertError(ok + "holdout: 120\n", "'holdout' must be a percentage");
        assertError(ok + "start: tomorrow\n", "'start' must be an ISO-8601 time");
        assertError(ok + "start: 2027-01-01T00:00:00Z\nstop: 2026-01-01T00:00:00Z\n", "'stop' must be after start");
        assertError(ok + "layer: {name: l, range: [50, 10]}\n", "'layer.range' must have from < to");
        assertError("name: x\n  bad: [\n", "f.yaml: not valid YAML");
        assertError("name: x\nvariants: [{name: a, shadow: true}, {name: b}]\n", "'variants[0].shadow' the first variant is the control");
        assertError("name: x\nvariants: [{name: a}, {name: b, shadow: true, weight: 5}]\n", "'variants[1].weight' a shadow variant gets no units");
        assertError("name: x\nvariants: [{name: a}, {name: b, shadow: yes please}]\n", "'variants[1].shadow' must be true or false");
    }

    @Test
    void aShadowVariantIsNotALiveArm() {
        Experiment e = ExperimentFiles.parse("name: x\nvariants: [{name: a, weight: 2}, {name: b}, {name: s, shadow: true, overrides: {model: big}}]\n", "x.yaml");
        assertThat(e.liveVariants()).extracting(VariantDefinition::name).containsExactly("a", "b");
        assertThat(e.shadowVariants()).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("s");
            assertThat(v.overrides()).containsEntry("model", "big");
        });
    }

    @Test
    void loadsAFolderAndRejectsAMissingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "name: a\nvariants: [{name: c}, {name: t}]\n");
        Files.writeString(dir.resolve("b.yml"), "name: b\nunit: request\nvariants: [{name: c}, {name: t}]\n");
        Files.writeString(dir.resolve("notes.txt"), "not an experiment");
        assertThat(ExperimentFiles.loadDirectory(dir).experiments()).extracting(Experiment::name).containsExactly("a", "b");
        assertThatThrownBy(() -> ExperimentFiles.loadDirectory(dir.resolve("missing")))
                .isInstanceOf(KeelException.class).hasMessageContaining("is not a directory");
        Files.writeString(dir.resolve("c.yaml"), "name: a\nvariants: [{name: c}, {name: t}]\n");
        assertThatThrownBy(() -> ExperimentFiles.loadDirectory(dir)).isInstanceOf(KeelException.class)
                .hasMessageContaining("experiment 'a' is defined twice");
    }

    private static void assertError(String yaml, String message) {
        assertThatThrownBy(() -> ExperimentFiles.parse(yaml, "f.yaml")).isInstanceOf(KeelException.class).hasMessageContaining(message);
    }
}
