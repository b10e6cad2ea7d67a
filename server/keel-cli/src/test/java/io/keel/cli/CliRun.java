package io.keel.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the {@code keel} command line in process: its exit code and what it printed to stdout and stderr. */
record CliRun(int exit, String out, String err) {

    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = KeelCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
