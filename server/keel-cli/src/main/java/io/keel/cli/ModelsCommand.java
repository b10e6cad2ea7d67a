package io.keel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.core.error.KeelException;
import io.keel.registry.AuditEntry;
import io.keel.registry.ModelRegistry;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.RegisteredModel;
import io.keel.registry.Registration;
import io.keel.registry.Stage;
import io.keel.app.Stores;
import io.keel.store.sql.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code keel models}: the model registry from the command line, on the data directory's SQLite file, so a release can
 * be promoted or rolled back while the server runs (its registry watcher picks the change up).
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The model registry: registered model versions, their stages, promotion, rollback and audit trail.",
                "A running server notices changes within its poll interval."},
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Register.class,
                ModelsCommand.Promote.class, ModelsCommand.Rollback.class, ModelsCommand.Audit.class})
final class ModelsCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** Opens the registry in the configured store (the data directory's SQLite file by default), runs {@code work}. */
    static <T> T withRegistry(CommonOptions common, Function<ModelRegistry, T> work) {
        try (Database db = Stores.open(common.load())) {
            return work.apply(new ModelRegistry(db).auditTo(new io.keel.store.sql.SqlAuditLog(db)));
        }
    }

    static String actorDefault() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "cli" : user;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every registered model, which version holds production and staging.")
    static final class ListModels implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<RegisteredModel> models = withRegistry(common, ModelRegistry::models);
            PrintWriter out = spec.commandLine().getOut();
            if (models.isEmpty()) {
                out.println("no models registered; register one with: keel models register FILE.yaml");
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (RegisteredModel m : models) {
                    ModelVersion serves = m.resolved().orElse(null);
                    rows.add(List.of(m.name(), holder(m, Stage.PRODUCTION), holder(m, Stage.STAGING),
                            String.valueOf(m.latest().version()), serves == null ? "-" : String.valueOf(serves.version()),
                            serves == null ? "-" : serves.provider(), serves == null ? "-" : serves.modelId()));
                }
                TextTable.print(out, List.of("MODEL", "PRODUCTION", "STAGING", "LATEST", "SERVES", "PROVIDER", "MODEL ID"), rows);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The versions of one model with their stage, price and notes.")
    static final class Show implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "model name")
        String name;

        @Override
        public Integer call() {
            RegisteredModel m = withRegistry(common, r -> r.model(name));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%s: production %s, staging %s, serves %s%n", m.name(), holder(m, Stage.PRODUCTION),
                    holder(m, Stage.STAGING), m.resolved().map(v -> String.valueOf(v.version())).orElse("nothing (every version is archived)"));
            List<List<String>> rows = new ArrayList<>();
            for (ModelVersion v : m.versions()) {
                rows.add(List.of(String.valueOf(v.version()), v.stage().wireName(), v.provider(), v.modelId(),
                        String.join(" ", v.endpoints()), price(v), TIME.format(v.createdAt()), v.createdBy(),
                        v.notes() == null ? "" : v.notes()));
            }
            TextTable.print(out, List.of("VERSION", "STAGE", "PROVIDER", "MODEL ID", "ENDPOINTS", "$/1M IN/OUT", "CREATED", "BY", "NOTES"), rows);
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register model entries from a YAML file: one entry (name, provider, endpoints, ...) or a keel.yaml",
                    "with a models: list. An entry equal to a registered version is reported and left as it is."})
    static final class Register implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "FILE.yaml", description = "the model entry, or a file with a models: list")
        Path file;
        @Option(names = "--notes", paramLabel = "TEXT", description = "notes stored with each new version")
        String notes;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "development",
                description = "stage of each new version: development (default), staging or production")
        String stage;
        @Option(names = "--actor", paramLabel = "NAME", description = "who registers, for the audit trail (default: the OS user)")
        String actor = actorDefault();

        @Override
        public Integer call() {
            List<Map<String, Object>> entries = readEntries(file);
            Stage start = Stage.parse(stage);
            List<RegisterRequest> requests = new ArrayList<>();
            for (Map<String, Object> e : entries) requests.add(new RegisterRequest(e, notes, start));
            PrintWriter out = spec.commandLine().getOut();
            withRegistry(common, r -> {
                for (RegisterRequest req : requests) {
                    Registration reg = r.registration(req, actor);
                    ModelVersion v = reg.version();
                    if (reg.created()) out.printf(Locale.ROOT, "registered %s version %d (%s)%n", v.model(), v.version(), v.stage());
                    else out.printf(Locale.ROOT, "%s: unchanged, identical to version %d (%s)%n", v.model(), v.version(), v.stage());
                }
                return null;
            });
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Put a version in a stage; the version that held staging or production before is archived.")
    static final class Promote implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "model name")
        String name;
        @Parameters(index = "1", paramLabel = "VERSION", description = "version number")
        int version;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "production",
                description = "production (default), staging, development or archived")
        String stage;
        @Option(names = "--note", paramLabel = "TEXT", description = "why, for the audit trail")
        String note;
        @Option(names = "--actor", paramLabel = "NAME", description = "who promotes, for the audit trail (default: the OS user)")
        String actor = actorDefault();

        @Override
        public Integer call() {
            if (version < 1) throw KeelException.invalid("VERSION must be a positive integer; got " + version);
            Stage target = Stage.parse(stage);
            ModelVersion v = withRegistry(common, r -> r.promote(name, version, target, actor, note));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s version %d is now in %s%n", v.model(), v.version(), v.stage());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Give a stage back to the version that held it before the current one; the current one is archived.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "model name")
        String name;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "production", description = "production (default) or staging")
        String stage;
        @Option(names = "--note", paramLabel = "TEXT", description = "why, for the audit trail")
        String note;
        @Option(names = "--actor", paramLabel = "NAME", description = "who rolls back, for the audit trail (default: the OS user)")
        String actor = actorDefault();

        @Override
        public Integer call() {
            Stage target = Stage.parse(stage);
            ModelVersion v = withRegistry(common, r -> r.rollback(name, target, actor, note));
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %s is back to version %d%n", v.model(), v.stage(), v.version());
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Who registered, promoted, rolled back or archived what, and when.")
    static final class Audit implements Callable<Integer> {
        @Mixin
        CommonOptions common;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "NAME", description = "model name")
        String name;

        @Override
        public Integer call() {
            List<AuditEntry> entries = withRegistry(common, r -> r.audit(name));
            List<List<String>> rows = new ArrayList<>();
            for (AuditEntry e : entries) {
                rows.add(List.of(TIME.format(e.at()), e.actor(), e.action().wireName(), orDash(e.fromVersion()), orDash(e.toVersion()),
                        e.stage() == null ? "-" : e.stage().wireName(), e.note() == null ? "" : e.note()));
            }
            PrintWriter out = spec.commandLine().getOut();
            TextTable.print(out, List.of("AT", "ACTOR", "ACTION", "FROM", "TO", "STAGE", "NOTE"), rows);
            out.flush();
            return ExitCodes.OK;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /** The model entries of {@code file}: a single entry, a list of entries, or a keel.yaml's {@code models:} list. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> readEntries(Path file) {
        if (!Files.isRegularFile(file)) throw KeelException.invalid("file " + file + " does not exist");
        Object parsed;
        try {
            parsed = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Object.class);
        } catch (JsonProcessingException e) {
            throw KeelException.invalid(file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
        } catch (IOException e) {
            throw KeelException.invalid("cannot read " + file + ": " + e.getMessage());
        }
        Object list = parsed instanceof Map<?, ?> m && m.containsKey("models") ? m.get("models") : parsed;
        if (list instanceof Map<?, ?>) return List.of((Map<String, Object>) list);
        if (list instanceof List<?> l && !l.isEmpty()) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map<?, ?> entry)) throw KeelException.invalid(file + ": models[" + i + "] must be a model entry (a mapping)");
                out.add((Map<String, Object>) entry);
            }
            return out;
        }
        throw KeelException.invalid(file + " holds no model entry; write one entry (name, provider, endpoints, ...) or a models: list");
    }

    private static String holder(RegisteredModel m, Stage stage) {
        return m.holder(stage).map(v -> String.valueOf(v.version())).orElse("-");
    }

    private static String price(ModelVersion v) {
        return String.format(Locale.ROOT, "%s/%s", number(v.pricing().inputPerMillion()), number(v.pricing().outputPerMillion()));
    }

    private static String number(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String orDash(Integer v) {
        return v == null ? "-" : String.valueOf(v);
    }
}
