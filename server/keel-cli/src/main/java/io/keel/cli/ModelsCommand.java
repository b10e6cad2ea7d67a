package io.keel.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlAuditLog;
import io.keel.core.error.KeelException;
import io.keel.registry.AuditEntry;
import io.keel.registry.ModelRegistry;
import io.keel.registry.ModelVersion;
import io.keel.registry.RegisterRequest;
import io.keel.registry.RegisteredModel;
import io.keel.registry.Registration;
import io.keel.registry.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

    /** The registry in the configured store, with its changes recorded in the audit log. */
    static ModelRegistry registry(Database db) {
        return new ModelRegistry(db).auditTo(new SqlAuditLog(db));
    }

    /** The {@code --actor} option of the subcommands that change the registry. */
    static final class ActorOption {
        @Option(names = "--actor", paramLabel = "NAME", description = "who makes the change, for the audit trail (default: the OS user)")
        String actor = actorDefault();

        static String actorDefault() {
            String user = System.getProperty("user.name");
            return user == null || user.isBlank() ? "cli" : user;
        }
    }

    /** A subcommand on one registered model, named by its first parameter. */
    abstract static class ModelCommand extends KeelCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "model name")
        String name;
    }

    /** A stage change of one model, with the note and the actor the audit trail records. */
    abstract static class ModelChange extends ModelCommand {
        @Option(names = "--note", paramLabel = "TEXT", description = "why, for the audit trail")
        String note;
        @Mixin
        ActorOption actor;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every registered model, which version holds production and staging.")
    static final class ListModels extends KeelCommand {
        @Override
        protected int run(PrintWriter out) {
            List<RegisteredModel> models = withStore(ModelsCommand::registry, ModelRegistry::models);
            if (models.isEmpty()) {
                out.println("no models registered; register one with: keel models register FILE.yaml");
            } else {
                TextTable.print(out, List.of("MODEL", "PRODUCTION", "STAGING", "LATEST", "SERVES", "PROVIDER", "MODEL ID"), models, m -> {
                    ModelVersion serves = m.resolved().orElse(null);
                    return List.of(m.name(), holder(m, Stage.PRODUCTION), holder(m, Stage.STAGING),
                            String.valueOf(m.latest().version()), serves == null ? "-" : String.valueOf(serves.version()),
                            serves == null ? "-" : serves.provider(), serves == null ? "-" : serves.modelId());
                });
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "The versions of one model with their stage, price and notes.")
    static final class Show extends ModelCommand {

        @Override
        protected int run(PrintWriter out) {
            RegisteredModel m = withStore(ModelsCommand::registry, r -> r.model(name));
            out.printf(Locale.ROOT, "%s: production %s, staging %s, serves %s%n", m.name(), holder(m, Stage.PRODUCTION),
                    holder(m, Stage.STAGING), m.resolved().map(v -> String.valueOf(v.version())).orElse("nothing (every version is archived)"));
            TextTable.print(out, List.of("VERSION", "STAGE", "PROVIDER", "MODEL ID", "ENDPOINTS", "$/1M IN/OUT", "CREATED", "BY", "NOTES"),
                    m.versions(), v -> List.of(String.valueOf(v.version()), v.stage().wireName(), v.provider(), v.modelId(),
                            String.join(" ", v.endpoints()), price(v), TIME.format(v.createdAt()), v.createdBy(),
                            v.notes() == null ? "" : v.notes()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register model entries from a YAML file: one entry (name, provider, endpoints, ...) or a keel.yaml",
                    "with a models: list. An entry equal to a registered version is reported and left as it is."})
    static final class Register extends KeelCommand {
        @Parameters(index = "0", paramLabel = "FILE.yaml", description = "the model entry, or a file with a models: list")
        Path file;
        @Option(names = "--notes", paramLabel = "TEXT", description = "notes stored with each new version")
        String notes;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "development",
                description = "stage of each new version: development (default), staging or production")
        String stage;
        @Mixin
        ActorOption actor;

        @Override
        protected int run(PrintWriter out) {
            List<Map<String, Object>> entries = readEntries(file);
            Stage start = Stage.parse(stage);
            List<RegisterRequest> requests = new ArrayList<>();
            for (Map<String, Object> e : entries) requests.add(new RegisterRequest(e, notes, start));
            withStore(ModelsCommand::registry, r -> {
                for (RegisterRequest req : requests) {
                    Registration reg = r.registration(req, actor.actor);
                    ModelVersion v = reg.version();
                    if (reg.created()) out.printf(Locale.ROOT, "registered %s version %d (%s)%n", v.model(), v.version(), v.stage());
                    else out.printf(Locale.ROOT, "%s: unchanged, identical to version %d (%s)%n", v.model(), v.version(), v.stage());
                }
                return null;
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Put a version in a stage; the version that held staging or production before is archived.")
    static final class Promote extends ModelChange {
        @Parameters(index = "1", paramLabel = "VERSION", description = "version number")
        int version;
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "production",
                description = "production (default), staging, development or archived")
        String stage;

        @Override
        protected int run(PrintWriter out) {
            if (version < 1) throw KeelException.invalid("VERSION must be a positive integer; got " + version);
            Stage target = Stage.parse(stage);
            ModelVersion v = withStore(ModelsCommand::registry, r -> r.promote(name, version, target, actor.actor, note));
            out.printf(Locale.ROOT, "%s version %d is now in %s%n", v.model(), v.version(), v.stage());
            return ExitCodes.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Give a stage back to the version that held it before the current one; the current one is archived.")
    static final class Rollback extends ModelChange {
        @Option(names = "--stage", paramLabel = "STAGE", defaultValue = "production", description = "production (default) or staging")
        String stage;

        @Override
        protected int run(PrintWriter out) {
            Stage target = Stage.parse(stage);
            ModelVersion v = withStore(ModelsCommand::registry, r -> r.rollback(name, target, actor.actor, note));
            out.printf(Locale.ROOT, "%s: %s is back to version %d%n", v.model(), v.stage(), v.version());
            return ExitCodes.OK;
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true, description = "Who registered, promoted, rolled back or archived what, and when.")
    static final class Audit extends ModelCommand {

        @Override
        protected int run(PrintWriter out) {
            List<AuditEntry> entries = withStore(ModelsCommand::registry, r -> r.audit(name));
            TextTable.print(out, List.of("AT", "ACTOR", "ACTION", "FROM", "TO", "STAGE", "NOTE"), entries,
                    e -> List.of(TIME.format(e.at()), e.actor(), e.action().wireName(), orDash(e.fromVersion()), orDash(e.toVersion()),
                            e.stage() == null ? "-" : e.stage().wireName(), e.note() == null ? "" : e.note()));
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
