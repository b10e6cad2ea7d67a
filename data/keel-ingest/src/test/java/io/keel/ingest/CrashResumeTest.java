package io.keel.ingest;

import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.IndexInfo;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** An ingestion killed with SIGKILL part-way resumes on the next run with nothing lost and nothing twice. */
class CrashResumeTest {
    static final String COLLECTION = "scifact";
    private static final int DOCUMENTS = 24;
    private static final int COMMIT_EVERY = 3;

    @TempDir
    Path work;

    @Test
    void aKilledIngestionResumesWithEveryDocumentExactlyOnce() throws Exception {
        var scifact = TestSupport.scifactCorpus();
        assumeThat(scifact).as("SciFact corpus under shared/datasets").isPresent();
        Path corpus = work.resolve("corpus/scifact.jsonl");
        Files.createDirectories(corpus.getParent());
        Files.write(corpus, TestSupport.head(scifact.get(), DOCUMENTS), StandardCharsets.UTF_8);
        IngestOptions options = IngestOptions.defaults().withCommitEvery(COMMIT_EVERY).withBatchSize(8);

        Reference clean = ingestInProcess(work.resolve("clean"), corpus, options);
        assertThat(clean.report().added()).isEqualTo(DOCUMENTS);
        System.out.printf("clean ingestion: %d documents, %d chunks in %s (%.1f chunks/s)%n", DOCUMENTS,
                clean.report().chunksWritten(), clean.report().elapsed(),
                clean.report().chunksWritten() / (clean.report().elapsed().toMillis() / 1000.0));

        Path crashed = work.resolve("crashed");
        List<String> output = runAndKillAfterCommits(crashed, corpus, 2);
        assertThat(output).as("the child was killed before it finished").doesNotContain("done");
        assertThat(output).filteredOn(line -> line.startsWith("committed")).hasSizeGreaterThanOrEqualTo(2);

        Reference resumed = ingestInProcess(crashed, corpus, options);
        IngestReport report = resumed.report();
        System.out.printf("resumed after kill: %d unchanged, %d added%n", report.unchanged(), report.added());
        assertThat(report.unchanged()).as("documents committed before the kill are skipped").isGreaterThanOrEqualTo(2 * COMMIT_EVERY);
        assertThat(report.added()).as("the uncommitted tail is redone").isPositive();
        assertThat(report.added() + report.unchanged()).isEqualTo(DOCUMENTS);
        assertThat(report.updated() + report.deleted()).isZero();
        assertThat(report.failed()).isEmpty();

        assertThat(resumed.info().documents()).isEqualTo(DOCUMENTS);
        assertThat(resumed.info().chunks()).isEqualTo(clean.info().chunks());
        assertThat(resumed.hashes()).isEqualTo(clean.hashes());
    }

    private record Reference(IngestReport report, IndexInfo info, Map<String, String> hashes) {
    }

    private static Reference ingestInProcess(Path data, Path corpus, IngestOptions options) {
        var embedder = TestSupport.embedder();
        try (LuceneIndexStore store = new LuceneIndexStore(data, embedder.info(), LuceneIndexConfig.DEFAULTS)) {
            CollectionIndex index = store.collection(COLLECTION, true);
            IngestReport report = new Ingestor(embedder, options).ingest(index, List.of(corpus));
            return new Reference(report, index.info(), index.documentHashes(""));
        }
    }

    /** Runs {@link IngestProcess} in a child JVM and SIGKILLs it once it has reported {@code commits} commits. */
    private List<String> runAndKillAfterCommits(Path data, Path corpus, int commits) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx768m",
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"),
                IngestProcess.class.getName(), data.toString(), corpus.toString(), String.valueOf(COMMIT_EVERY)));
        Process child = new ProcessBuilder(command)
                .redirectError(work.resolve("child-stderr.txt").toFile())
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (java.io.IOException ignored) {
                // the stream closes when the child is killed
            }
        });
        List<String> output = new ArrayList<>();
        int seen = 0;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (seen < commits && System.nanoTime() < deadline) {
                String line = lines.poll(500, TimeUnit.MILLISECONDS);
                if (line != null) {
                    output.add(line);
                    if (line.startsWith("committed")) seen++;
                    if (line.equals("done")) break;
                } else if (!child.isAlive()) {
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(5_000);
        }
        lines.drainTo(output);
        assertThat(seen).as("commits reported by the child; stderr in %s: %s", work.resolve("child-stderr.txt"),
                Files.exists(work.resolve("child-stderr.txt")) ? Files.readString(work.resolve("child-stderr.txt")) : "")
                .isGreaterThanOrEqualTo(commits);
        return output;
    }
}
