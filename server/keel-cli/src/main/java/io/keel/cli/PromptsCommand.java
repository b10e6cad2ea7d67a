package io.keel.cli;

import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.app.config.KeelConfig;
import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import io.keel.core.spi.TokenCounter;
import io.keel.model.ModelCallListener;
import io.keel.model.ModelGateway;
import io.keel.model.TokenEstimator;
import io.keel.prompts.LabelChange;
import io.keel.prompts.PromptDiff;
import io.keel.prompts.PromptFile;
import io.keel.prompts.PromptFolder;
import io.keel.prompts.PromptLoader;
import io.keel.prompts.PromptStore;
import io.keel.prompts.PromptTester;
import io.keel.prompts.PromptVersion;
import io.keel.prompts.StoredPrompt;
import io.keel.prompts.TestReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code keel prompts}: prompts as code. {@code test} is made for CI (exit status 1 when a test fails); {@code push},
 * {@code label} and {@code rollback} manage the versions and labels kept in the instance's SQL store
 * ({@code <data dir>/keel.db}).
 */
@Command(name = "prompts", mixinStandardHelpOptions = true,
        description = "Prompts as code: test, diff, push, label and roll back the prompt files of a prompts/ folder.",
        subcommands = {PromptsCommand.Test.class, PromptsCommand.Diff.class, PromptsCommand.Push.class,
                PromptsCommand.Label.class, PromptsCommand.Rollback.class, PromptsCommand.ListPrompts.class})
final class PromptsCommand {

    /** Options of subcommands that read the prompts folder. */
    static final class DirOption {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "prompts", description = "prompts folder (default: ${DEFAULT-VALUE})")
        Path dir;
    }

    /** Options of subcommands that change the store. */
    static final class ActorOption {
        @Option(names = "--as", paramLabel = "NAME", description = "who makes the change, for the audit trail (default: the OS user name)")
        String actor;

        String actor() {
            String a = actor != null ? actor : System.getProperty("user.name");
            if (a == null || a.isBlank()) throw KeelException.invalid("cannot tell who you are; pass --as NAME");
            return a;
        }
    }

    /** The prompt store in the configured database, with its label moves recorded in the audit log. */
    static PromptStore prompts(Database db) {
        return new PromptStore(db).auditTo(new SqlAuditLog(db));
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Render every test of every prompt and check its assertions against the recorded response, or",
                    "against a configured model with --model. Tests needing a model are skipped without --model.",
                    "Exit status 1 when any test fails."})
    static final class Test extends KeelCommand {
        @Mixin
        DirOption dir;

        @Option(names = "--model", paramLabel = "NAME", description = "a model configured under models: in keel.yaml, for tests without recorded_response")
        String model;

        @Override
        protected int run(PrintWriter out) {
            PromptFolder folder = PromptFolder.load(dir.dir);
            TestReport report;
            if (model == null) {
                report = PromptTester.recordedOnly().run(folder);
            } else {
                KeelConfig config = common.load();
                if (config.models() == null) throw KeelException.invalid("--model " + model + ": keel.yaml configures no models");
                try (ModelGateway gateway = ModelGateway.fromConfig(config.models(), System::getenv, ModelCallListener.NONE)) {
                    if (!gateway.has(model)) {
                        throw KeelException.invalid("--model " + model + " is not configured; models: " + String.join(", ", gateway.modelNames()));
                    }
                    report = new PromptTester(gateway, model, counter(TokenEstimator.forModel(model))).run(folder);
                }
            }
            out.println(report.render());
            return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
        }

        private static TokenCounter counter(TokenEstimator estimator) {
            return new TokenCounter() {
                @Override
                public int countTokens(String text) {
                    return estimator.count(text);
                }

                @Override
                public int maxTokens() {
                    return Integer.MAX_VALUE;
                }
            };
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"Unified diff between two versions of a prompt. Each side is a prompt file path, an ID (the file",
                    "in --dir), or ID@REF where REF is a label, hash, hash prefix, semver or semver+hash in the store."})
    static final class Diff extends KeelCommand {
        @Mixin
        DirOption dir;

        @Parameters(index = "0", paramLabel = "A", description = "the old side")
        String a;

        @Parameters(index = "1", paramLabel = "B", description = "the new side")
        String b;

        @Override
        protected int run(PrintWriter out) {
            PromptFile left = side(a);
            PromptFile right = side(b);
            String diff = PromptDiff.unified(left, right);
            out.print(diff.isEmpty() ? "no differences between " + left.version() + " and " + right.version() + "\n" : diff);
            return ExitCodes.OK;
        }

        private PromptFile side(String arg) {
            Path file = Path.of(arg);
            if (Files.isRegularFile(file)) return PromptLoader.load(file);
            int at = arg.indexOf('@');
            if (at < 0) return PromptFolder.load(dir.dir).get(arg);
            String id = arg.substring(0, at);
            String ref = arg.substring(at + 1);
            Optional<PromptFile> local = Files.isDirectory(dir.dir) ? PromptFolder.load(dir.dir).find(id) : Optional.empty();
            try {
                return withStore(PromptsCommand::prompts, s -> s.resolve(id, ref).prompt());
            } catch (KeelException e) {
                // The folder's current version counts too, pushed or not.
                if (e.code() == ErrorCode.NOT_FOUND && local.isPresent() && matches(local.get().version(), ref)) return local.get();
                throw e;
            }
        }

        private static boolean matches(PromptVersion v, String ref) {
            return ref.equals(v.hash()) || ref.equals(v.ref()) || ref.equals(v.semver()) || (ref.length() >= 4 && v.hash().startsWith(ref));
        }
    }

    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Store the current version of every prompt in --dir; content already stored is left as it is.")
    static final class Push extends KeelCommand {
        @Mixin
        DirOption dir;
        @Mixin
        ActorOption actor;

        @Option(names = "--label", paramLabel = "LABEL", description = "also point this label (e.g. staging) at each pushed version")
        String label;

        @Override
        protected int run(PrintWriter out) {
            PromptFolder folder = PromptFolder.load(dir.dir);
            String who = actor.actor();
            withStore(PromptsCommand::prompts, store -> {
                for (PromptFile p : folder.prompts()) {
                    PromptStore.PushResult r = store.push(p, who);
                    out.println((r.created() ? "pushed    " : "unchanged ") + r.stored().version());
                    if (label != null) {
                        LabelChange c = store.label(p.id(), label, r.stored().version().hash(), who);
                        if (!c.unchanged()) out.println("          " + label + " -> " + r.stored().version());
                    }
                }
                return null;
            });
            return ExitCodes.OK;
        }
    }

    /** A change of one label of one prompt, made by the {@code --as} actor and printed as the store reports it. */
    abstract static class LabelCommand extends KeelCommand {
        @Mixin
        ActorOption actor;

        @Parameters(index = "0", paramLabel = "ID", description = "the prompt id")
        String id;

        @Parameters(index = "1", paramLabel = "LABEL", description = "the label")
        String label;

        @Override
        protected final int run(PrintWriter out) {
            String who = actor.actor();
            LabelChange c = withStore(PromptsCommand::prompts, s -> change(s, who));
            out.println(describe(c));
            return ExitCodes.OK;
        }

        abstract LabelChange change(PromptStore store, String who);

        abstract String describe(LabelChange c);
    }

    @Command(name = "label", mixinStandardHelpOptions = true,
            description = "Point a label (production, staging, any) of a prompt at a pushed version.")
    static final class Label extends LabelCommand {
        @Parameters(index = "2", paramLabel = "VERSION", description = "hash, hash prefix, semver, semver+hash or another label")
        String version;

        @Override
        LabelChange change(PromptStore store, String who) {
            return store.label(id, label, version, who);
        }

        @Override
        String describe(LabelChange c) {
            return c.unchanged() ? id + " " + label + " already points at " + c.toHash()
                    : id + " " + label + ": " + (c.fromHash() == null ? "(new)" : c.fromHash()) + " -> " + c.toHash();
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point a label back at the version it pointed at before its last move.")
    static final class Rollback extends LabelCommand {
        @Override
        LabelChange change(PromptStore store, String who) {
            return store.rollback(id, label, who);
        }

        @Override
        String describe(LabelChange c) {
            return id + " " + label + ": " + c.fromHash() + " -> " + c.toHash() + " (rolled back)";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the prompts of --dir and of the store: current file version, pushed versions and labels.")
    static final class ListPrompts extends KeelCommand {
        @Mixin
        DirOption dir;

        @Override
        protected int run(PrintWriter out) {
            Optional<PromptFolder> folder = Files.isDirectory(dir.dir) ? Optional.of(PromptFolder.load(dir.dir)) : Optional.empty();
            withStore(PromptsCommand::prompts, store -> {
                TreeSet<String> ids = new TreeSet<>(store.ids());
                folder.ifPresent(f -> f.prompts().forEach(p -> ids.add(p.id())));
                if (ids.isEmpty()) out.println("no prompts in " + dir.dir + " and none pushed");
                for (String id : ids) {
                    out.println(id);
                    folder.flatMap(f -> f.find(id)).ifPresent(p -> out.println("  file:     " + p.version().ref() + "  (" + p.origin() + ")"));
                    for (StoredPrompt s : store.versions(id)) {
                        out.println("  pushed:   " + s.version().ref() + "  by " + s.pushedBy() + " at " + s.pushedAt());
                    }
                    for (Map.Entry<String, PromptVersion> l : store.labels(id).entrySet()) {
                        out.println("  label:    " + l.getKey() + " -> " + l.getValue().ref());
                    }
                }
                return null;
            });
            return ExitCodes.OK;
        }
    }
}
