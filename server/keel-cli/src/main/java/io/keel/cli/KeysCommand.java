package io.keel.cli;

import io.keel.core.security.ApiKey;
import io.keel.core.security.ApiKeyManager;
import io.keel.core.security.Principal;
import io.keel.core.security.Role;
import io.keel.store.sql.Database;
import io.keel.store.sql.SqlApiKeyStore;
import io.keel.store.sql.SqlAuditLog;
import io.keel.core.security.AuditActor;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code keel keys}: API keys in the configured store (the data directory's SQLite file, or the shared PostgreSQL), so
 * the first admin key can be made before any server runs. A running server sees a new or revoked key within its
 * cache TTL ({@code auth.cache_ttl}, 2 s).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = {"API keys: create (the secret is printed once), list, rotate, revoke.",
                "Creating the first key turns authentication on (auth.enabled: auto)."},
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Revoke.class})
final class KeysCommand {
    /** The key manager over the configured database. */
    static ApiKeyManager keys(Database db) {
        return new ApiKeyManager(new SqlApiKeyStore(db), Clock.systemUTC()).auditTo(new SqlAuditLog(db));
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print its secret, once.")
    static final class Create extends KeelCommand {
        @Option(names = "--tenant", defaultValue = "default", description = "tenant of every request made with the key (default: ${DEFAULT-VALUE})")
        String tenant;
        @Option(names = "--role", required = true, description = "admin, developer, app or viewer")
        String role;
        @Option(names = "--name", description = "a label for people")
        String name;
        @Option(names = "--expires", paramLabel = "DURATION|INSTANT", description = "e.g. 90d, 12h or 2027-01-01T00:00:00Z (default: never)")
        String expires;
        @Option(names = "--scopes", split = ",", description = "extra grants, e.g. act_as")
        List<String> scopes;
        @Option(names = "--groups", split = ",", description = "ACL groups the key reads documents as")
        List<String> groups;
        @Option(names = "--rpm", defaultValue = "0", description = "requests per minute (0: auth.requests_per_minute)")
        int rpm;
        @Option(names = "--tpm", defaultValue = "0", description = "model tokens per minute (0: none)")
        int tpm;
        @Option(names = "--max-parallel", defaultValue = "0", description = "requests in flight at once, per instance (0: none)")
        int maxParallel;
        @Option(names = "--budget", paramLabel = "USD", description = "the most the key may spend per --budget-period, in US dollars")
        java.math.BigDecimal budget;
        @Option(names = "--budget-period", defaultValue = "month", description = "day or month (default: ${DEFAULT-VALUE})")
        String budgetPeriod;
        @Option(names = "--models", split = ",", description = "the models the key's requests may be answered by (default: any)")
        List<String> models;
        @Option(names = "--collections", split = ",", description = "the collections the key may search and write (default: any)")
        List<String> collections;
        @Mixin
        ModelsCommand.ActorOption actor;

        @Override
        protected int run(PrintWriter out) {
            if (rpm < 0 || tpm < 0 || maxParallel < 0) throw io.keel.core.error.KeelException.invalid("--rpm, --tpm and --max-parallel must be >= 0");
            if (budget != null && budget.signum() < 0) throw io.keel.core.error.KeelException.invalid("--budget must be >= 0");
            Principal.Limits limits = new Principal.Limits(rpm, tpm, maxParallel,
                    budget == null ? null : new Principal.KeyBudget(io.keel.server.security.KeysService.period(budgetPeriod), budget),
                    set(models), set(collections));
            Instant expiry = expires == null ? null : parseExpiry(expires);
            ApiKeyManager.Created c = withStore(KeysCommand::keys, m -> m.create(new ApiKeyManager.Spec(tenant, Role.parse(role), name, expiry,
                    set(scopes), set(groups), limits), AuditActor.user(actor.actor)));
            out.println(c.secret());
            spec.commandLine().getErr().println("keel: created " + c.key().id() + " (tenant " + c.key().tenant() + ", role "
                    + c.key().role().wireName() + "). The key above is shown only now: store it in your secret manager.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every key: id, tenant, role, groups, expiry, revocation, last use.")
    static final class ListKeys extends KeelCommand {
        @Override
        protected int run(PrintWriter out) {
            List<ApiKey> keys = withStore(KeysCommand::keys, m -> m.store().list());
            if (keys.isEmpty()) {
                out.println("no API keys: the server runs in open mode on loopback. Create one with: keel keys create --role admin");
                return ExitCodes.OK;
            }
            out.printf("%-23s %-12s %-9s %-16s %-20s %-20s %-20s %s%n", "ID", "TENANT", "ROLE", "NAME", "EXPIRES", "REVOKED", "LAST USED", "GROUPS");
            for (ApiKey k : keys) {
                out.printf("%-23s %-12s %-9s %-16s %-20s %-20s %-20s %s%n", k.id(), k.tenant(), k.role().wireName(),
                        k.name() == null ? "-" : k.name(), time(k.expires()), time(k.revoked()), time(k.lastUsed()),
                        String.join(",", ApiKey.sorted(k.groups())));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Create a replacement key; the old one stays valid for the grace period.")
    static final class Rotate extends KeelCommand {
        @Parameters(paramLabel = "ID", description = "the key's public id, keel_live_...")
        String id;
        @Option(names = "--grace", defaultValue = "24h", description = "how long the old key keeps working (default: ${DEFAULT-VALUE})")
        String grace;
        @Mixin
        ModelsCommand.ActorOption actor;

        @Override
        protected int run(PrintWriter out) {
            Duration g = ApiKeyManager.duration("--grace", grace);
            ApiKeyManager.Created c = withStore(KeysCommand::keys, m -> m.rotate(id, g, AuditActor.user(actor.actor)));
            out.println(c.secret());
            spec.commandLine().getErr().println("keel: " + c.key().id() + " replaces " + id + ", which stays valid until "
                    + Instant.now().plus(g) + ". The key above is shown only now.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key; servers refuse it within auth.cache_ttl.")
    static final class Revoke extends KeelCommand {
        @Parameters(paramLabel = "ID", description = "the key's public id, keel_live_...")
        String id;
        @Mixin
        ModelsCommand.ActorOption actor;

        @Override
        protected int run(PrintWriter out) {
            ApiKey k = withStore(KeysCommand::keys, m -> m.revoke(id, AuditActor.user(actor.actor)));
            out.println("revoked " + k.id() + " at " + k.revoked());
            return ExitCodes.OK;
        }
    }

    static Instant parseExpiry(String text) {
        if (!text.isEmpty() && Character.isDigit(text.charAt(0)) && text.contains("T")) {
            try {
                return Instant.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw io.keel.core.error.KeelException.invalid("--expires must be a duration (90d) or an instant (2027-01-01T00:00:00Z); got '" + text + "'");
            }
        }
        return Instant.now().plus(ApiKeyManager.duration("--expires", text));
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : new LinkedHashSet<>(values);
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.toString().replaceFirst("\\.\\d+Z$", "Z");
    }
}
