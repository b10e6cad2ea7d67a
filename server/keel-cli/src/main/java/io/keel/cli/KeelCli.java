package io.keel.cli;

import io.keel.core.error.ErrorCode;
import io.keel.core.error.KeelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code keel} command. */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelCli.Version.class,
        description = "Keel: retrieval-augmented answers over your documents, on one machine or many.",
        subcommands = {ServeCommand.class, IngestCommand.class, AskCommand.class, DemoCommand.class,
                ReindexCommand.class, MigrateIndexCommand.class, BenchCommand.class, GuardCommand.class, ModelsCommand.class, PromptsCommand.class,
                GraphCommand.class, UsageCommand.class, ReplayCommand.class, KeysCommand.class, AuditCommand.class, RequestsCommand.class, ExperimentsCommand.class, QuarantineCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 bad usage or configuration, 3 finished with rejected inputs."})
public final class KeelCli {

    public static void main(String[] args) {
        configureLogging();
        System.exit(run(args));
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) return;
        try (var in = KeelCli.class.getResourceAsStream("logging.properties")) {
            if (in != null) java.util.logging.LogManager.getLogManager().readConfiguration(in);
        } catch (java.io.IOException e) {
            System.err.println("keel: default logging configuration not loaded: " + e.getMessage());
        }
    }

    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new KeelCli());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("keel: " + message(e));
            if (e instanceof KeelException k) {
                return k.code() == ErrorCode.INVALID_REQUEST || k.code() == ErrorCode.UNPROCESSABLE ? ExitCodes.USAGE : ExitCodes.FAILED;
            }
            if (!(e instanceof java.io.UncheckedIOException)) e.printStackTrace(commandLine.getErr());
            return ExitCodes.FAILED;
        });
        return cl;
    }

    private static String message(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KeelCli.class.getPackage().getImplementationVersion();
            return new String[]{"keel " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
