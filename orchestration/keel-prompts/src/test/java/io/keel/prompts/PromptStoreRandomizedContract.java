package io.keel.prompts;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.test.ManualClock;
import io.keel.test.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The prompt store under seeded random operations — pushes (new, repeated and conflicting versions), label moves by
 * hash, semver or another label, rollbacks (some refused), reopening — checked after every step against an in-memory
 * reference of versions, labels and each label's history. Time is a {@link ManualClock}. {@code -Dkeel.seed=HEX}
 * replays a failure.
 */
abstract class PromptStoreRandomizedContract extends PromptDatabase {
    private static final String[] IDS = {"greet", "farewell"};
    private static final String[] WORDS = {"Hello", "Hi", "Good day", "Welcome", "Hey"};
    private static final String[] SEMVERS = {null, "1.0.0", "1.1.0", "2.0.0"};
    private static final String[] LABELS = {"production", "staging", "canary"};

    @RegisterExtension
    final Seeds seeds = new Seeds();
    private final ManualClock clock = new ManualClock();
    /** Per prompt id: hash to stored version. */
    private final Map<String, Map<String, StoredPrompt>> versions = new HashMap<>();
    /** Per prompt id and label: the hash it points at, its history, and the stack a rollback pops. */
    private final Map<String, String> labels = new TreeMap<>();
    private final Map<String, List<LabelChange>> histories = new HashMap<>();
    private final Map<String, Deque<String>> stacks = new HashMap<>();
    private Random random;

    private PromptStore store() {
        return new PromptStore(open(), clock);
    }

    @Test
    void randomizedOperationsMatchTheReference() throws Exception {
        random = seeds.random();
        PromptStore store = store();
        int conflicts = 0;
        int rollbacks = 0;
        // 250 operations, and more (at most 2,000) until a conflicting push and a rollback have both been exercised
        for (int op = 0; op < 250 || (op < 2_000 && (conflicts == 0 || rollbacks == 0)); op++) {
            clock.advance(Duration.ofMillis(1 + random.nextInt(60_000)));
            String id = IDS[random.nextInt(IDS.length)];
            Map<String, StoredPrompt> stored = versions.computeIfAbsent(id, k -> new HashMap<>());
            String actor = "actor-" + op;
            int r = random.nextInt(100);
            if (r < 35 || stored.isEmpty()) {
                String semver = SEMVERS[random.nextInt(SEMVERS.length)];
                PromptFile file = PromptLoader.parse("id: " + id + "\n" + (semver == null ? "" : "version: " + semver + "\n")
                        + "template: '" + WORDS[random.nextInt(WORDS.length)] + " {{name}}'\n", id + ".yaml");
                PromptVersion v = file.version();
                StoredPrompt same = stored.get(v.hash());
                boolean clash = same == null && semver != null
                        && stored.values().stream().anyMatch(s -> semver.equals(s.version().semver()));
                if (same != null) {
                    PromptStore.PushResult again = store.push(file, actor);
                    assertThat(again.created()).isFalse();
                    assertThat(again.stored()).isEqualTo(same);
                } else if (clash) {
                    PromptStore s = store;
                    assertThatThrownBy(() -> s.push(file, actor)).as("semver %s with other content", semver)
                            .isInstanceOf(KeelException.class).extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.CONFLICT);
                    conflicts++;
                } else {
                    PromptStore.PushResult pushed = store.push(file, actor);
                    assertThat(pushed.created()).isTrue();
                    StoredPrompt expected = new StoredPrompt(v, file.text(), actor, clock.instant());
                    assertThat(pushed.stored()).isEqualTo(expected);
                    stored.put(v.hash(), expected);
                }
            } else if (r < 70) {
                String label = LABELS[random.nextInt(LABELS.length)];
                StoredPrompt target = new ArrayList<>(new TreeMap<>(stored).values()).get(random.nextInt(stored.size()));
                String ref = refTo(id, target);
                String key = id + "/" + label;
                String from = labels.get(key);
                LabelChange change = store.label(id, label, ref, actor);
                assertThat(change.toHash()).as("label %s -> %s", label, ref).isEqualTo(target.version().hash());
                assertThat(change.fromHash()).isEqualTo(from);
                if (!target.version().hash().equals(from)) {
                    labels.put(key, target.version().hash());
                    histories.computeIfAbsent(key, k -> new ArrayList<>()).add(change);
                    stacks.computeIfAbsent(key, k -> new ArrayDeque<>()).push(target.version().hash());
                    assertThat(change.at()).isEqualTo(clock.instant());
                }
            } else if (r < 92) {
                String label = LABELS[random.nextInt(LABELS.length)];
                String key = id + "/" + label;
                Deque<String> stack = stacks.get(key);
                PromptStore s = store;
                if (stack == null) {
                    assertThatThrownBy(() -> s.rollback(id, label, actor)).isInstanceOf(KeelException.class)
                            .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
                } else if (stack.size() < 2) {
                    assertThatThrownBy(() -> s.rollback(id, label, actor)).isInstanceOf(KeelException.class)
                            .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.CONFLICT);
                } else {
                    String current = stack.pop();
                    LabelChange change = store.rollback(id, label, actor);
                    assertThat(change.fromHash()).isEqualTo(current);
                    assertThat(change.toHash()).as("rollback of %s", key).isEqualTo(stack.peek());
                    assertThat(change.action()).isEqualTo(LabelChange.ROLLBACK);
                    labels.put(key, stack.peek());
                    histories.get(key).add(change);
                    rollbacks++;
                }
            } else {
                store = store();
            }
            check(store);
        }
        assertThat(conflicts).as("conflicting pushes refused").isPositive();
        assertThat(rollbacks).as("rollbacks made").isPositive();
    }

    /** A way to name {@code target}: its hash, its semver, {@code semver+hash}, or a label that points at it. */
    private String refTo(String id, StoredPrompt target) {
        PromptVersion v = target.version();
        List<String> refs = new ArrayList<>(List.of(v.hash()));
        if (v.semver() != null) {
            refs.add(v.semver());
            refs.add(v.semver() + "+" + v.hash());
        }
        labels.forEach((key, hash) -> {
            if (key.startsWith(id + "/") && hash.equals(v.hash())) refs.add(key.substring(id.length() + 1));
        });
        return refs.get(random.nextInt(refs.size()));
    }

    private void check(PromptStore store) {
        assertThat(store.ids()).isEqualTo(new ArrayList<>(new TreeSet<>(versions.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList())));
        for (String id : IDS) {
            Map<String, StoredPrompt> stored = versions.getOrDefault(id, Map.of());
            assertThat(store.versions(id)).as("versions of %s", id).isEqualTo(stored.values().stream()
                    .sorted(Comparator.comparing(StoredPrompt::pushedAt).thenComparing(s -> s.version().hash())).toList());
            Map<String, PromptVersion> expectedLabels = new TreeMap<>();
            for (String label : LABELS) {
                String key = id + "/" + label;
                String hash = labels.get(key);
                if (hash != null) {
                    expectedLabels.put(label, stored.get(hash).version());
                    assertThat(store.resolve(id, label).version().hash()).as("resolve(%s, %s)", id, label).isEqualTo(hash);
                }
                assertThat(store.history(id, label)).as("history of %s", key).isEqualTo(histories.getOrDefault(key, List.of()));
            }
            assertThat(store.labels(id)).as("labels of %s", id).isEqualTo(expectedLabels);
        }
    }
}
