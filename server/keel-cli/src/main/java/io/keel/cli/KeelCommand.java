package io.keel.cli;

import io.keel.app.Stores;
import io.keel.store.sql.Database;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A command on a Keel instance: it takes the {@link CommonOptions}, prints to the writer picocli gives it (flushed
 * once the command has run, also when it fails) and returns its exit code.
 */
abstract class KeelCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            return run(out);
        } finally {
            out.flush();
        }
    }

    /** Runs the command, printing to {@code out}; returns the exit code ({@link ExitCodes}). */
    protected abstract int run(PrintWriter out) throws Exception;

    /**
     * Opens the configured SQL store (the data directory's SQLite file by default), makes the store {@code open} builds
     * on it, runs {@code work} with that store and closes the database.
     */
    <S, T> T withStore(Function<Database, S> open, Function<S, T> work) {
        try (Database db = Stores.open(common.load())) {
            return work.apply(open.apply(db));
        }
    }
}
