package io.keel.cli;

import io.keel.core.spi.Embedder;
import io.keel.embed.onnx.OnnxEmbedder;
import io.keel.embed.onnx.OnnxEmbedderFactory;
import io.keel.guard.eval.GuardEval;
import io.keel.guard.eval.GuardEvalReport;
import io.keel.core.error.KeelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "guard", mixinStandardHelpOptions = true, description = "The security layer's tools.",
        subcommands = GuardCommand.Eval.class)
final class GuardCommand {

    @Command(name = "eval", mixinStandardHelpOptions = true,
            description = {"Run the PII detectors on the Presidio recognizer cases and a seeded synthetic set, and the bundled",
                    "prompt-injection and content-safety detectors on the held-out parts of the public guard data sets;",
                    "print precision/recall per entity type and recall/FPR per data set, each table naming its split."})
    static final class Eval extends KeelCommand {
        @Option(names = "--datasets", paramLabel = "DIR",
                description = "the shared datasets folder (pii-presidio-cases/, prompt-injections-deepset/, injection-extra/, benign-instructions/, xstest/, do-not-answer/, squad-v1.1-dev/; default: ../shared/datasets next to the Keel checkout)")
        Path datasets;

        @Option(names = "--pii-only", description = "skip the injection and content-safety evaluation (it embeds a few thousand held-out texts, minutes on two cores)")
        boolean piiOnly;

        @Override
        protected int run(PrintWriter out) {
            Path dir = datasets != null ? datasets : defaultDatasets();
            if (!Files.isDirectory(dir)) throw KeelException.invalid("datasets folder " + dir + " does not exist; pass --datasets DIR");
            GuardEvalReport report;
            if (piiOnly) {
                report = GuardEval.run(dir, null);
            } else {
                var embedding = common.load().embedding();
                // The embedding classifiers were fitted to the embedded MiniLM's vectors: they are evaluated with that
                // model whatever embedding.backend and embedding.model name (as the server runs them).
                try (Embedder configured = embedding.backend().equals(OnnxEmbedderFactory.NAME) ? embedding.create() : null;
                     Embedder own = OnnxEmbedder.fitsGuard(configured) ? null : OnnxEmbedder.createDefault()) {
                    report = GuardEval.run(dir, own == null ? configured : own);
                }
            }
            out.println(report.render());
            return ExitCodes.OK;
        }

        private static Path defaultDatasets() {
            String home = System.getenv("KEEL_HOME");
            return (home == null ? Path.of(".") : Path.of(home)).toAbsolutePath().normalize().resolveSibling("shared").resolve("datasets");
        }
    }
}
