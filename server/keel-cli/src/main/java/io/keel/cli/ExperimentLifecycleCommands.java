package io.keel.cli;

import io.keel.app.ExperimentChecks;
import io.keel.app.ExperimentPromotion;
import io.keel.app.config.KeelConfig;
import io.keel.core.error.KeelException;
import io.keel.core.security.AuditActor;
import io.keel.experiments.Experiment;
import io.keel.experiments.ExperimentStore;
import io.keel.prompts.PromptStore;
import io.keel.registry.ModelRegistry;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code keel experiments create|start|stop|list|promote}: experiments managed in the SQL store, as the
 * {@code /v1/experiments} routes manage them. A running server sees each change within its poll interval.
 */
final class ExperimentLifecycleCommands {
    private ExperimentLifecycleCommands() {
    }

    /** A change made by the {@code --as} actor (a user of the default tenant) on the store of the configured database. */
    abstract static class Change extends KeelCommand {
        @Mixin
        PromptsCommand.ActorOption actor;

        @Override
        protected final int run(PrintWriter out) {
            KeelConfig config = common.load();
            AuditActor who = AuditActor.user(actor.actor());
            withStore(db -> db, db -> {
                change(out, config, db, new ExperimentStore(db, new SqlAuditLog(db)), who);
                return null;
            });
            return ExitCodes.OK;
        }

        abstract void change(PrintWriter out, KeelConfig config, Database db, ExperimentStore store, AuditActor who);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Store an experiment (the YAML of one experiment file, see docs/experiments.md) as a draft.",
                    "Nothing changes until it is started."})
    static final class Create extends Change {
        @Parameters(index = "0", paramLabel = "FILE", description = "the experiment's YAML file")
        Path file;

        @Override
        void change(PrintWriter out, KeelConfig config, Database db, ExperimentStore store, AuditActor who) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw KeelException.invalid("cannot read " + file + ": " + e.getMessage());
            }
            Set<String> files = Set.copyOf(config.experiments().files().stream().map(Experiment::name).toList());
            ExperimentStore.Stored s = store.create(text, who, files);
            out.println("created " + s.experiment().name() + " (draft); start it with: keel experiments start " + s.experiment().name());
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = {"Start a draft: from the next poll of each server on, its units are split between its variants.",
                    "Refused when a model or prompt version it names does not exist, or its layer is taken."})
    static final class Start extends Change {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment's name")
        String name;

        @Override
        void change(PrintWriter out, KeelConfig config, Database db, ExperimentStore store, AuditActor who) {
            List<Experiment> others = new ArrayList<>(config.experiments().files());
            others.addAll(store.running());
            Set<String> models = ExperimentChecks.modelNames(config.models());
            ModelRegistry registry = new ModelRegistry(db);
            store.start(name, who, others, set -> ExperimentChecks.check(set,
                    m -> models.contains(m) || registry.resolve(m).isPresent(), String.join(", ", models), new PromptStore(db)));
            out.println("started " + name);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop an experiment for good: every unit gets the configured settings again; its records stay for reports.")
    static final class Stop extends Change {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment's name")
        String name;

        @Override
        void change(PrintWriter out, KeelConfig config, Database db, ExperimentStore store, AuditActor who) {
            store.stop(name, who);
            out.println("stopped " + name);
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Promote the winning variant and stop the experiment, as one audited action: the answer prompt's",
                    "label moves to the variant's prompt version, the generator model gets a registry version with the",
                    "variant's model; settings that live in keel.yaml are printed for you to change."})
    static final class Promote extends Change {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment's name")
        String name;

        @Parameters(index = "1", paramLabel = "VARIANT", description = "the winning variant")
        String variant;

        @Option(names = "--label", paramLabel = "LABEL", description = "the prompt label to move (default: prompts.label of keel.yaml)")
        String label;

        @Override
        void change(PrintWriter out, KeelConfig config, Database db, ExperimentStore store, AuditActor who) {
            String model = "model".equals(config.generator().backend()) ? config.generator().model() : null;
            SqlAuditLog audit = new SqlAuditLog(db);
            ExperimentPromotion.Result r = new ExperimentPromotion(store, new ModelRegistry(db).auditTo(audit), db, audit, model,
                    config.prompts().label()).promote(name, variant, label, who);
            out.println("promoted " + r.variant() + " of " + r.experiment() + "; the experiment is stopped");
            r.applied().forEach(a -> out.println("  applied: " + a));
            r.manual().forEach(m -> out.println("  to do:   " + m));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every experiment: those of experiments.dir and those in the store, with their state.")
    static final class ListExperiments extends KeelCommand {
        @Override
        protected int run(PrintWriter out) {
            KeelConfig config = common.load();
            List<List<String>> rows = new ArrayList<>();
            for (Experiment e : config.experiments().files()) rows.add(row(e, "file", "-"));
            withStore(db -> new ExperimentStore(db, new SqlAuditLog(db)), store -> {
                for (ExperimentStore.Stored s : store.list()) rows.add(row(s.experiment(), s.state().wireName(), s.updatedBy()));
                return null;
            });
            TextTable.print(out, List.of("NAME", "STATE", "UNIT", "VARIANTS", "CHANGED BY"), rows);
            return ExitCodes.OK;
        }

        private static List<String> row(Experiment e, String state, String by) {
            List<String> arms = e.variants().stream().map(v -> v.name() + (v.shadow() ? " (shadow)" : "")).toList();
            return List.of(e.name(), state, e.unit().wireName(), String.join(", ", arms), by);
        }
    }
}
