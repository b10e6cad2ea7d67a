package io.keel.registry;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.store.sql.Database;
import io.keel.test.ManualClock;
import io.keel.test.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The registry under seeded random operations — registrations (new and repeated configs, some straight into a
 * stage), promotions, archiving, rollbacks (some refused), reopening — checked after every step against an in-memory
 * reference: each version's stage, what resolves, the audit trail and the generation counter. The reference keeps, per
 * exclusive stage, the stack of versions a rollback returns to. Time is a {@link ManualClock}, so every stamp is
 * known. {@code -Dkeel.seed=HEX} replays a failure.
 */
abstract class RegistryRandomizedContract extends RegistryDatabase {
    private static final String[] MODELS = {"gpt-small", "gpt-large", "claude"};
    private static final Stage[] STAGES = Stage.values();

    @RegisterExtension
    final Seeds seeds = new Seeds();
    private final ManualClock clock = new ManualClock();
    private final Map<String, RefModel> reference = new HashMap<>();
    private Random random;
    private long generation;

    /** One model as the reference sees it. */
    private static final class RefModel {
        final List<Double> temperatures = new ArrayList<>();
        final List<Stage> stages = new ArrayList<>();
        final List<Instant> created = new ArrayList<>();
        final List<Object> audit = new ArrayList<>();
        final Map<Stage, Deque<Integer>> stacks = new EnumMap<>(Stage.class);
        /** The time of the change being made. */
        Instant at;

        RefModel() {
            stacks.put(Stage.STAGING, new ArrayDeque<>());
            stacks.put(Stage.PRODUCTION, new ArrayDeque<>());
        }

        Integer holder(Stage s) {
            for (int v = stages.size(); v >= 1; v--) if (stages.get(v - 1) == s) return v;
            return null;
        }

        Stage stage(int v) {
            return stages.get(v - 1);
        }

        /** Moves {@code v} to {@code s}, archiving the exclusive holder it replaces; the stacks follow. */
        void move(int v, Stage s) {
            Integer replaced = s.exclusive() ? holder(s) : null;
            if (replaced != null) stages.set(replaced - 1, Stage.ARCHIVED);
            Stage old = stage(v);
            stages.set(v - 1, s);
            leave(old, v);
            if (s.exclusive() && !Objects.equals(stacks.get(s).peek(), v)) stacks.get(s).push(v);
            audit.add(tuple(at, s == Stage.ARCHIVED ? AuditAction.ARCHIVE : AuditAction.PROMOTE, replaced, v, s));
            if (replaced != null) audit.add(tuple(at, AuditAction.ARCHIVE, null, replaced, Stage.ARCHIVED));
        }

        /** A holder that leaves an exclusive stage other than by being replaced is no longer rolled back to. */
        void leave(Stage old, int v) {
            if (old.exclusive() && Objects.equals(stacks.get(old).peek(), v)) stacks.get(old).pop();
        }

        /** The version a rollback of {@code s} returns to, or null when it must be refused. */
        Integer previous(Stage s) {
            Integer current = holder(s);
            Deque<Integer> stack = stacks.get(s);
            if (current == null || !Objects.equals(stack.peek(), current)) return null;
            List<Integer> below = new ArrayList<>(stack);
            below.removeFirst();
            while (!below.isEmpty() && below.getFirst().equals(current)) below.removeFirst();
            return below.isEmpty() ? null : below.getFirst();
        }

        void rollback(Stage s, int previous) {
            int current = holder(s);
            stacks.get(s).pop();
            stages.set(current - 1, Stage.ARCHIVED);
            Stage old = stage(previous);
            stages.set(previous - 1, s);
            if (old != s) leave(old, previous);
            if (!Objects.equals(stacks.get(s).peek(), previous)) stacks.get(s).push(previous);
            audit.add(tuple(at, AuditAction.ROLLBACK, current, previous, s));
            audit.add(tuple(at, AuditAction.ARCHIVE, null, current, Stage.ARCHIVED));
        }

        Integer resolved() {
            Integer production = holder(Stage.PRODUCTION);
            if (production != null) return production;
            for (int v = stages.size(); v >= 1; v--) if (stages.get(v - 1) != Stage.ARCHIVED) return v;
            return null;
        }
    }

    private ModelRegistry newRegistry() {
        Database db = openDatabase();
        open.add(db);
        return new ModelRegistry(db, config -> { }, clock);
    }

    @Test
    void randomizedOperationsMatchTheReference() {
        random = seeds.random();
        ModelRegistry opened = newRegistry();
        generation = opened.generation();
        int rollbacks = 0;
        int unchanged = 0;
        for (int op = 0; op < 250; op++) {
            clock.advance(Duration.ofMillis(1 + random.nextInt(90_000)));
            String name = MODELS[random.nextInt(MODELS.length)];
            RefModel m = reference.computeIfAbsent(name, n -> new RefModel());
            m.at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            int r = random.nextInt(100);
            ModelRegistry registry = opened;
            if (r < 35 || m.stages.isEmpty()) {
                double temperature = random.nextInt(6) / 10.0;
                Stage stage = random.nextInt(4) == 0 ? STAGES[random.nextInt(3)] : Stage.DEVELOPMENT; // never born archived
                Registration reg = registry.registration(new RegisterRequest(RegistryContract.entry(name, temperature), "n" + op, stage), "actor-" + op);
                int existing = m.temperatures.indexOf(temperature) + 1;
                if (existing > 0) {
                    assertThat(reg.created()).as("a repeated config").isFalse();
                    assertThat(reg.version().version()).isEqualTo(existing);
                    unchanged++;
                } else {
                    m.temperatures.add(temperature);
                    m.stages.add(Stage.DEVELOPMENT);
                    m.created.add(clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    int v = m.stages.size();
                    m.audit.add(tuple(m.at, AuditAction.REGISTER, null, v, Stage.DEVELOPMENT));
                    if (stage != Stage.DEVELOPMENT) m.move(v, stage);
                    generation++;
                    assertThat(reg.created()).isTrue();
                    assertThat(reg.version().version()).isEqualTo(v);
                    assertThat(reg.version().createdBy()).isEqualTo("actor-" + op);
                }
            } else if (r < 70) {
                int v = 1 + random.nextInt(m.stages.size() + (random.nextInt(10) == 0 ? 1 : 0));
                Stage stage = STAGES[random.nextInt(STAGES.length)];
                if (v > m.stages.size()) {
                    assertThatThrownBy(() -> registry.promote(name, v, stage, "bob", null)).as("an unknown version")
                            .isInstanceOf(KeelException.class);
                } else {
                    ModelVersion promoted = registry.promote(name, v, stage, "bob", "to " + stage);
                    if (m.stage(v) == stage) {
                        unchanged++;
                    } else {
                        m.move(v, stage);
                        generation++;
                    }
                    assertThat(promoted.stage()).isEqualTo(stage);
                }
            } else if (r < 90) {
                Stage stage = random.nextBoolean() ? Stage.PRODUCTION : Stage.STAGING;
                Integer previous = m.previous(stage);
                if (previous == null) {
                    assertThatThrownBy(() -> registry.rollback(name, stage, "carol", null)).as("a rollback of %s with nothing to return to", stage)
                            .isInstanceOf(KeelException.class).extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.CONFLICT);
                } else {
                    assertThat(registry.rollback(name, stage, "carol", null).version()).as("rollback of %s %s", name, stage).isEqualTo(previous);
                    m.rollback(stage, previous);
                    generation++;
                    rollbacks++;
                }
            } else if (r < 95) {
                assertThatThrownBy(() -> registry.rollback(name, Stage.DEVELOPMENT, "carol", null)).isInstanceOf(KeelException.class)
                        .extracting(e -> ((KeelException) e).code()).isEqualTo(ErrorCode.UNPROCESSABLE);
            } else {
                opened = newRegistry();
            }
            check(opened);
        }
        assertThat(rollbacks).as("rollbacks made").isPositive();
        assertThat(unchanged).as("operations that changed nothing").isPositive();
    }

    private void check(ModelRegistry registry) {
        assertThat(registry.generation()).as("generation").isEqualTo(generation);
        for (var e : reference.entrySet()) {
            String name = e.getKey();
            RefModel m = e.getValue();
            if (m.stages.isEmpty()) continue;
            RegisteredModel model = registry.model(name);
            assertThat(model.versions()).extracting(ModelVersion::version, ModelVersion::stage).as("versions of %s", name)
                    .containsExactly(versions(m));
            for (ModelVersion v : model.versions()) {
                assertThat(v.createdAt()).isEqualTo(m.created.get(v.version() - 1));
                assertThat(v.params()).containsEntry("temperature", m.temperatures.get(v.version() - 1));
            }
            assertThat(registry.resolve(name).map(ModelVersion::version)).as("resolve(%s)", name).isEqualTo(java.util.Optional.ofNullable(m.resolved()));
            for (Stage s : STAGES) {
                assertThat(registry.current(name, s).map(ModelVersion::version)).as("current(%s, %s)", name, s)
                        .isEqualTo(java.util.Optional.ofNullable(m.holder(s)));
            }
            assertThat(registry.audit(name)).extracting(AuditEntry::at, AuditEntry::action, AuditEntry::fromVersion, AuditEntry::toVersion, AuditEntry::stage)
                    .as("audit of %s", name).containsExactlyElementsOf(m.audit.stream().map(t -> (org.assertj.core.groups.Tuple) t).toList());
        }
    }

    private static org.assertj.core.groups.Tuple[] versions(RefModel m) {
        org.assertj.core.groups.Tuple[] out = new org.assertj.core.groups.Tuple[m.stages.size()];
        for (int i = 0; i < out.length; i++) out[i] = tuple(i + 1, m.stages.get(i));
        return out;
    }
}
