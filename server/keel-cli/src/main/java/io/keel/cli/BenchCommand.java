package io.keel.cli;

import io.keel.eval.BeirBenchmark;
import io.keel.ingest.IngestProgress;
import io.keel.ingest.ProgressListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (results and method: BENCHMARKS.md).",
        subcommands = BenchCommand.Beir.class)
final class BenchCommand {

    @Command(name = "beir", mixinStandardHelpOptions = true,
            description = "Ingest a BEIR dataset and report nDCG@10, R@2, R@5 and Recall@100 per retrieval mode (graph included), ingestion CPU per chunk "
                    + "and query latency.")
    static final class Beir extends KeelCommand {
        @Option(names = "--dataset", required = true, paramLabel = "DIR", description = "BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)")
        Path dataset;

        @Option(names = "--reuse", description = "keep an existing benchmark index instead of ingesting from scratch")
        boolean reuse;

        @Option(names = "--graph-overhead", description = "also ingest without the knowledge graph and report the graph's share of ingestion CPU")
        boolean graphOverhead;

        @Option(names = "--candidates", paramLabel = "N", defaultValue = "300", description = "chunks retrieved per query for the quality metrics (default ${DEFAULT-VALUE})")
        int candidates;

        @Override
        protected int run(PrintWriter out) {
            BeirBenchmark.Options d = BeirBenchmark.Options.defaults(dataset);
            BeirBenchmark.Options options = new BeirBenchmark.Options(dataset, common.data != null ? common.data : d.dataDir(),
                    d.collection(), candidates, d.warmup(), reuse, graphOverhead);
            ProgressBar bar = new ProgressBar(System.err, System.console() != null);
            BeirBenchmark.Report report = BeirBenchmark.run(common.load(), options, new ProgressListener() {
                @Override
                public void progress(IngestProgress p) {
                    bar.update(p.fraction(), p.documentsDone() + " documents  " + p.chunksDone() + " chunks",
                            p.chunksPerSecond(), "chunks/s", p.eta().orElse(null), false);
                }
            }, System.err);
            bar.finish();
            out.println(BeirBenchmark.table(report));
            return ExitCodes.OK;
        }
    }
}
