package io.keel.eval;

import io.keel.app.DataDirs;
import io.keel.app.Keel;
import io.keel.app.QueryInput;
import io.keel.core.pipeline.Retrieval;
import io.keel.app.config.KeelConfig;
import io.keel.core.answer.Timings;
import io.keel.core.query.Filters;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.ingest.IngestReport;
import io.keel.ingest.ProgressListener;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code keel bench beir}: ingests a BEIR corpus through Keel's normal ingestion path with the knowledge graph on,
 * then measures retrieval quality per mode (nDCG@10, Recall@100, and the multi-hop protocol's R@2 and R@5 — the share
 * of a question's relevant documents in the top 2 / top 5 — at document level: a document ranks where its best chunk
 * ranks) and single-client query latency (hybrid and graph, top 10, embedding and search timed separately).
 */
public final class BeirBenchmark {

    /**
     * @param candidates chunks retrieved per query for the quality metrics (enough distinct documents for Recall@100)
     * @param reuse      keep an existing index instead of ingesting from scratch (ingestion is then not measured)
     */
    /** @param graphOverhead also ingest once without the graph, to report the graph's share of ingestion CPU */
    public record Options(Path dataset, Path dataDir, String collection, int candidates, int warmup, boolean reuse,
                          boolean graphOverhead) {
        public static Options defaults(Path dataset) {
            String name = dataset.toAbsolutePath().normalize().getFileName().toString();
            return new Options(dataset, Path.of("keel-data", "bench-" + name), "beir", 300, 50, false, false);
        }
    }

    public record ModeResult(String mode, double ndcg10, double recall100, double recall2, double recall5) {
    }

    /** @param graphSearchP50 search time of mode graph (hybrid search, walk and fusion), measured beside {@code searchP50} */
    public record Latency(double embeddingP50, double embeddingP99, double searchP50, double searchP99,
                          double totalP50, double totalP99, double graphSearchP50, double graphSearchP99) {
    }

    /**
     * @param cpuMsPerChunk         process CPU time during ingestion (graph on) divided by chunks written (NaN when reused)
     * @param baselineCpuMsPerChunk the same without the graph (NaN unless {@link Options#graphOverhead})
     */
    public record Report(String dataset, int queries, long chunks, double ingestSeconds, double cpuMsPerChunk,
                         double chunksPerSecond, List<ModeResult> modes, Latency latency, String machine,
                         double baselineCpuMsPerChunk, QueryCpu queryCpu) {
    }

    /**
     * CPU time per hybrid query (top 10, embedding included), one client, measured over a pass of every judged query
     * after the latency pass.
     *
     * @param keelMs     Keel's process (embedding, search, fusion; for pgvector the JDBC side)
     * @param postgresMs the local PostgreSQL server's processes over the same pass (NaN when /proc cannot be read);
     *                   about 0 for Lucene with the SQL store unused
     */
    public record QueryCpu(double keelMs, double postgresMs) {
    }

    private BeirBenchmark() {
    }

    public static Report run(KeelConfig base, Options options, ProgressListener ingestProgress, java.io.PrintStream log) {
        BeirDataset data = BeirDataset.load(options.dataset());
        double baseline = Double.NaN;
        if (options.graphOverhead() && !options.reuse()) {
            Path plain = options.dataDir().resolveSibling(options.dataDir().getFileName() + "-nograph");
            DataDirs.wipe(plain);
            try (Keel keel = Keel.open(base.withDataDir(plain).withRequestLog(false))) {
                long cpu0 = processCpuNanos();
                IngestReport ingest = keel.ingest(List.of(data.corpus()), options.collection(), ingestProgress);
                baseline = (processCpuNanos() - cpu0) / 1e6 / Math.max(1, ingest.chunksWritten());
                log.printf(Locale.ROOT, "without the graph: %.2f CPU-ms per chunk%n", baseline);
            }
            DataDirs.wipe(plain);
        }
        if (!options.reuse()) DataDirs.wipe(options.dataDir());
        KeelConfig config = base.withGraphEnabled().withDataDir(options.dataDir()).withRequestLog(false);
        try (Keel keel = Keel.open(config)) {
            long cpu0 = processCpuNanos();
            IngestReport ingest = keel.ingest(List.of(data.corpus()), options.collection(), ingestProgress);
            long cpu = processCpuNanos() - cpu0;
            long chunks = keel.indexes().collection(options.collection(), false).info().chunks();
            double seconds = ingest.elapsed().toMillis() / 1000.0;
            boolean measured = ingest.chunksWritten() > 0;
            log.printf(Locale.ROOT, "ingested %d documents (%d chunks written, %d in the index) in %.1f s%n",
                    ingest.written(), ingest.chunksWritten(), chunks, seconds);

            Latency latency = latency(keel, data, options, log);
            QueryCpu queryCpu = queryCpu(keel, data, options, log);
            List<ModeResult> modes = new ArrayList<>();
            for (RetrievalMode mode : RetrievalMode.values()) {
                modes.add(quality(keel, data, options, mode));
                ModeResult m = modes.getLast();
                log.printf(Locale.ROOT, "%-6s nDCG@10 %.4f  R@2 %.4f  R@5 %.4f  Recall@100 %.4f%n", mode.wireName(),
                        m.ndcg10(), m.recall2(), m.recall5(), m.recall100());
            }
            return new Report(options.dataset().getFileName().toString(), data.queries().size(), chunks, seconds,
                    measured ? cpu / 1e6 / ingest.chunksWritten() : Double.NaN,
                    measured ? ingest.chunksWritten() / Math.max(seconds, 1e-9) : Double.NaN,
                    modes, latency, machine(), baseline, queryCpu);
        }
    }

    private static QueryCpu queryCpu(Keel keel, BeirDataset data, Options options, java.io.PrintStream log) {
        long keel0 = processCpuNanos();
        long pg0 = PostgresCpu.nanos();
        for (String q : data.queries().values()) {
            keel.search(new QueryInput(q, 10, RetrievalMode.HYBRID, Filters.NONE, options.collection()));
        }
        long pg1 = PostgresCpu.nanos();
        int n = Math.max(1, data.queries().size());
        QueryCpu cpu = new QueryCpu((processCpuNanos() - keel0) / 1e6 / n, pg0 < 0 || pg1 < 0 ? Double.NaN : (pg1 - pg0) / 1e6 / n);
        log.printf(Locale.ROOT, "CPU per query (hybrid, top 10, embedding included, %d queries): Keel %.2f ms, PostgreSQL %.2f ms%n",
                n, cpu.keelMs(), cpu.postgresMs());
        return cpu;
    }

    private static Latency latency(Keel keel, BeirDataset data, Options options, java.io.PrintStream log) {
        List<String> warm = new ArrayList<>(data.others());
        if (warm.isEmpty()) warm.addAll(data.queries().values()); // a dataset whose every query is judged warms on those
        for (String q : warm.subList(0, Math.min(options.warmup(), warm.size()))) {
            keel.search(new QueryInput(q, 10, RetrievalMode.HYBRID, Filters.NONE, options.collection()));
            keel.search(new QueryInput(q, 10, RetrievalMode.GRAPH, Filters.NONE, options.collection()));
        }
        int n = data.queries().size();
        double[] embed = new double[n];
        double[] search = new double[n];
        double[] total = new double[n];
        double[] graph = new double[n];
        int i = 0;
        for (String q : data.queries().values()) {
            Retrieval r = keel.search(new QueryInput(q, 10, RetrievalMode.HYBRID, Filters.NONE, options.collection()));
            embed[i] = r.timings().millisOf(Timings.EMBEDDING);
            search[i] = r.timings().millisOf(Timings.VECTOR_SEARCH);
            total[i] = r.timings().millisOf(Timings.TOTAL);
            Retrieval g = keel.search(new QueryInput(q, 10, RetrievalMode.GRAPH, Filters.NONE, options.collection()));
            graph[i] = g.timings().millisOf(Timings.VECTOR_SEARCH);
            i++;
        }
        Latency l = new Latency(Metrics.percentile(embed, 50), Metrics.percentile(embed, 99),
                Metrics.percentile(search, 50), Metrics.percentile(search, 99),
                Metrics.percentile(total, 50), Metrics.percentile(total, 99),
                Metrics.percentile(graph, 50), Metrics.percentile(graph, 99));
        log.printf(Locale.ROOT, "latency (hybrid, top 10, %d queries): total p50 %.2f ms p99 %.2f ms; search p50 hybrid %.2f ms, graph %.2f ms%n",
                n, l.totalP50(), l.totalP99(), l.searchP50(), l.graphSearchP50());
        return l;
    }

    private static ModeResult quality(Keel keel, BeirDataset data, Options options, RetrievalMode mode) {
        double ndcg = 0;
        double recall = 0;
        double r2 = 0;
        double r5 = 0;
        for (var q : data.queries().entrySet()) {
            Retrieval r = keel.search(new QueryInput(q.getValue(), options.candidates(), mode, Filters.NONE, options.collection()));
            List<String> ranking = documentRanking(r.hits());
            Map<String, Integer> relevant = data.qrels().get(q.getKey());
            ndcg += Metrics.ndcg(ranking, relevant, 10);
            recall += Metrics.recall(ranking, relevant, 100);
            r2 += Metrics.recall(ranking, relevant, 2);
            r5 += Metrics.recall(ranking, relevant, 5);
        }
        int n = data.queries().size();
        return new ModeResult(mode.wireName(), ndcg / n, recall / n, r2 / n, r5 / n);
    }

    /** Documents in the order of their best chunk. */
    static List<String> documentRanking(List<SearchHit> hits) {
        Set<String> docs = new LinkedHashSet<>();
        for (SearchHit h : hits) docs.add(h.documentId());
        return new ArrayList<>(docs);
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + (Runtime.getRuntime().maxMemory() >> 20)
                + " MB max heap, " + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                + ", Java " + Runtime.version();
    }

    /** The report as the table {@code keel bench beir} prints, with the published reference numbers beside it. */
    public static String table(Report r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "BEIR %s: %d test queries, %d chunks indexed%n%n", r.dataset(), r.queries(), r.chunks()));
        sb.append("| mode   | nDCG@10 | R@2    | R@5    | Recall@100 | published nDCG@10 |\n"
                + "|--------|---------|--------|--------|------------|-------------------|\n");
        for (ModeResult m : r.modes()) {
            String published = switch (m.mode()) {
                case "bm25" -> "0.665 (BEIR BM25)";
                case "dense" -> "0.645 (MTEB all-MiniLM-L6-v2)";
                default -> "-";
            };
            sb.append(String.format(Locale.ROOT, "| %-6s | %.4f  | %.4f | %.4f | %.4f     | %s |%n", m.mode(), m.ndcg10(),
                    m.recall2(), m.recall5(), m.recall100(),
                    r.dataset().equals("scifact") ? published : "-"));
        }
        sb.append(String.format(Locale.ROOT, "%nIngestion (graph on): %.2f CPU-ms per chunk, %.1f chunks/s wall, %.1f s%n",
                r.cpuMsPerChunk(), r.chunksPerSecond(), r.ingestSeconds()));
        if (!Double.isNaN(r.baselineCpuMsPerChunk())) {
            sb.append(String.format(Locale.ROOT, "Ingestion without the graph: %.2f CPU-ms per chunk; the graph adds %+.1f%%%n",
                    r.baselineCpuMsPerChunk(), 100 * (r.cpuMsPerChunk() / r.baselineCpuMsPerChunk() - 1)));
        }
        Latency l = r.latency();
        sb.append(String.format(Locale.ROOT, "Query latency, hybrid top 10, single client (ms): embedding p50 %.2f p99 %.2f | "
                        + "search p50 %.2f p99 %.2f | total p50 %.2f p99 %.2f%n",
                l.embeddingP50(), l.embeddingP99(), l.searchP50(), l.searchP99(), l.totalP50(), l.totalP99()));
        sb.append(String.format(Locale.ROOT, "CPU per query, hybrid top 10 (embedding included): Keel %.2f ms, PostgreSQL %.2f ms, together %.2f ms%n",
                r.queryCpu().keelMs(), r.queryCpu().postgresMs(),
                r.queryCpu().keelMs() + (Double.isNaN(r.queryCpu().postgresMs()) ? 0 : r.queryCpu().postgresMs())));
        sb.append(String.format(Locale.ROOT, "Graph mode search (hybrid pool + walk + fusion) p50 %.2f p99 %.2f ms: %+.2f ms at p50 over hybrid%n",
                l.graphSearchP50(), l.graphSearchP99(), l.graphSearchP50() - l.searchP50()));
        sb.append("Machine: ").append(r.machine()).append('\n');
        return sb.toString();
    }
}
