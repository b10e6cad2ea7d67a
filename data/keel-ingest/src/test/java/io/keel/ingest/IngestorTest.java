package io.keel.ingest;

import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import io.keel.core.spi.CollectionIndex;
import io.keel.core.spi.Embedder;
import io.keel.core.spi.ForwardingEmbedder;
import io.keel.core.spi.EmbeddingModelInfo;
import io.keel.index.lucene.LuceneIndexConfig;
import io.keel.index.lucene.LuceneIndexStore;
import io.keel.ingest.parse.DocumentDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestorTest {
    @TempDir
    Path work;

    private Path docs;
    private LuceneIndexStore store;
    private CollectionIndex index;
    private final Embedder embedder = TestSupport.embedder();

    @BeforeEach
    void openIndex() throws Exception {
        docs = Files.createDirectories(work.resolve("docs"));
        store = new LuceneIndexStore(work.resolve("data"), embedder.info(), LuceneIndexConfig.DEFAULTS);
        index = store.collection("docs", true);
    }

    @AfterEach
    void closeIndex() {
        store.close();
    }

    @Test
    void ingestsEveryFormatAndReportsWhatItCouldNot() throws Exception {
        write("guide/install.md", "# Install\n\nRun the installer on a machine with Java 21.\n\n## Verify\n\nRun keel version.\n");
        write("notes.txt", "Plain notes about the vacation policy.\n\nA second paragraph.");
        write("site/faq.html", "<html><head><title>FAQ</title></head><body><h1>FAQ</h1><p>Refunds take five days.</p></body></html>");
        TestFiles.docx(docs.resolve("handbook.docx"), "Handbook", List.of("# Leave", "Employees get twenty-five days of leave."));
        TestFiles.pptx(docs.resolve("deck.pptx"), List.<String[]>of(new String[]{"Roadmap", "Hybrid retrieval ships in March."}));
        TestFiles.pdf(docs.resolve("report.pdf"), "Report", List.of(List.of("Revenue grew by twelve percent.")));
        TestFiles.corruptPdf(docs.resolve("broken.pdf"));
        write("corpus.jsonl", """
                {"_id": "r1", "title": "Aspirin", "text": "Aspirin reduces the risk of heart attacks."}
                {"_id": "r2", "title": "Statins", "text": "Statins lower cholesterol."
                {"_id": "r3", "title": "Exercise", "text": "Exercise improves sleep quality."}
                """);
        write("logo.png", "not really a png");
        write(".cache/hidden.md", "# Hidden\n\nNever ingested.");

        IngestReport report = ingestor(IngestOptions.defaults()).ingest(index, List.of(docs));

        assertThat(report.added()).isEqualTo(8);
        assertThat(report.updated()).isZero();
        assertThat(report.failed()).extracting(IngestReport.Problem::source)
                .containsExactlyInAnyOrder("docs/broken.pdf", "docs/corpus.jsonl:2");
        assertThat(report.failed()).filteredOn(p -> p.source().equals("docs/broken.pdf"))
                .singleElement().extracting(IngestReport.Problem::reason).asString().startsWith("not a readable pdf file");
        assertThat(report.skipped()).extracting(IngestReport.Problem::source).containsExactly("docs/logo.png");
        assertThat(report.clean()).isFalse();

        assertThat(index.documentHashes("").keySet()).containsExactlyInAnyOrder("docs/guide/install.md", "docs/notes.txt",
                "docs/site/faq.html", "docs/handbook.docx", "docs/deck.pptx", "docs/report.pdf", "r1", "r3");
        assertThat(index.info().documents()).isEqualTo(8);
        assertThat(index.info().chunks()).isEqualTo(report.chunksWritten());
        assertThat(report.indexVersion()).isEqualTo(index.info().version()).isPositive();
        assertThat(index.documentHashes("docs/corpus.jsonl#")).containsOnlyKeys("r1", "r3");

        List<SearchHit> hits = index.search(Query.of("how long do refunds take", 3).withMode(RetrievalMode.DENSE),
                embedder.embedQuery("how long do refunds take"));
        assertThat(hits).first().satisfies(hit -> {
            assertThat(hit.documentId()).isEqualTo("docs/site/faq.html");
            assertThat(hit.title()).isEqualTo("FAQ");
        });
        List<SearchHit> verify = index.search(Query.of("keel version", 1).withMode(RetrievalMode.BM25), null);
        assertThat(verify).singleElement().satisfies(hit -> assertThat(hit.headingPath()).containsExactly("Install", "Verify"));
    }

    @Test
    void reingestSkipsUnchangedReembedsChangedAndDeletesWhatIsGone() throws Exception {
        write("a.md", "# A\n\nAlpha text.");
        write("b.txt", "Beta text.");
        write("sub/c.md", "Gamma text.");
        write("corpus.jsonl", "{\"id\":\"j1\",\"text\":\"One.\"}\n{\"id\":\"j2\",\"text\":\"Two.\"}\n{\"id\":\"j3\",\"text\":\"Three.\"}\n");
        Ingestor ingestor = ingestor(IngestOptions.defaults());

        IngestReport first = ingestor.ingest(index, List.of(docs));
        assertThat(first.added()).isEqualTo(6);
        String hashOfA = index.contentHash("docs/a.md").orElseThrow();

        IngestReport again = ingestor.ingest(index, List.of(docs));
        assertThat(again.unchanged()).isEqualTo(6);
        assertThat(again.added() + again.updated() + again.deleted()).isZero();
        assertThat(again.chunksWritten()).isZero();
        assertThat(again.indexVersion()).isEqualTo(first.indexVersion());

        write("a.md", "# A\n\nAlpha text, revised.");
        Files.delete(docs.resolve("b.txt"));
        write("sub/d.md", "Delta text.");
        write("corpus.jsonl", "{\"id\":\"j1\",\"text\":\"One.\"}\n{\"id\":\"j3\",\"text\":\"Three, revised.\"}\n");

        IngestReport third = ingestor.ingest(index, List.of(docs));
        assertThat(third.added()).isEqualTo(1);
        assertThat(third.updated()).isEqualTo(2);
        assertThat(third.unchanged()).isEqualTo(2);
        assertThat(third.deleted()).isEqualTo(2);
        assertThat(third.failed()).isEmpty();
        assertThat(third.indexVersion()).isGreaterThan(first.indexVersion());
        assertThat(index.contentHash("docs/a.md")).isPresent().get().isNotEqualTo(hashOfA);
        assertThat(index.contentHash("docs/b.txt")).isEmpty();
        assertThat(index.contentHash("j2")).isEmpty();
        assertThat(index.documentHashes("").keySet())
                .containsExactlyInAnyOrder("docs/a.md", "docs/sub/c.md", "docs/sub/d.md", "j1", "j3");
        assertThat(index.info().documents()).isEqualTo(5);
        assertThat(index.search(Query.of("revised", 5).withMode(RetrievalMode.BM25), null))
                .extracting(SearchHit::documentId).containsExactlyInAnyOrder("docs/a.md", "j3");
    }

    @Test
    void anUpdatedFileEmbedsOnlyTheChunksWhoseTextChanged() throws Exception {
        String install = "## Install\n\nRun the installer on a machine with Java 21.";
        String verify = "## Verify\n\nRun keel version and check the output.";
        write("guide.md", "# Guide\n\n" + install + "\n\n" + verify + "\n\n## Upgrade\n\nStop the server first.\n");
        IngestReport first = ingestor(IngestOptions.defaults()).ingest(index, List.of(docs));
        assertThat(first.chunksWritten()).isEqualTo(3);
        assertThat(first.vectorsReused()).isZero();

        write("guide.md", "# Guide\n\n" + install + "\n\n" + verify + "\n\n## Upgrade\n\nStop the server, then back up the data folder.\n");
        CountingEmbedder counting = new CountingEmbedder(embedder);
        IngestReport second = new Ingestor(counting, IngestOptions.defaults()).ingest(index, List.of(docs));

        assertThat(second.updated()).isEqualTo(1);
        assertThat(second.chunksWritten()).isEqualTo(3);
        assertThat(second.vectorsReused()).isEqualTo(2);
        assertThat(counting.batchSizes).as("only the upgrade section was embedded").containsExactly(1);
        assertThat(index.search(Query.of("back up the data folder", 3).withMode(RetrievalMode.DENSE), embedder.embedQuery("back up the data folder")))
                .first().extracting(SearchHit::text).asString().contains("back up the data folder");
    }

    @Test
    void aFileThatFailsKeepsItsIndexedVersion() throws Exception {
        Path pdf = TestFiles.pdf(docs.resolve("policy.pdf"), "Policy", List.of(List.of("Travel must be approved.")));
        write("other.md", "Other text.");
        Ingestor ingestor = ingestor(IngestOptions.defaults());
        ingestor.ingest(index, List.of(docs));
        String indexed = index.contentHash("docs/policy.pdf").orElseThrow();

        TestFiles.corruptPdf(pdf);
        write("other.md", "Other text, changed.");
        IngestReport report = ingestor.ingest(index, List.of(docs));

        assertThat(report.failed()).extracting(IngestReport.Problem::source).containsExactly("docs/policy.pdf");
        assertThat(report.updated()).isEqualTo(1);
        assertThat(report.deleted()).isZero();
        assertThat(index.contentHash("docs/policy.pdf")).contains(indexed);
    }

    @Test
    void batchesChunksAcrossDocumentsCommitsOnScheduleAndReportsProgress() throws Exception {
        for (int i = 0; i < 30; i++) write("n" + i + ".md", "# Note " + i + "\n\nThis is note number " + i + ".");
        CountingEmbedder counting = new CountingEmbedder(embedder);
        List<IngestProgress> progress = new ArrayList<>();
        List<Long> commits = new ArrayList<>();
        ProgressListener listener = new ProgressListener() {
            @Override
            public void progress(IngestProgress p) {
                progress.add(p);
            }

            @Override
            public void committed(long indexVersion, long documentsWritten) {
                commits.add(indexVersion);
            }
        };
        IngestOptions options = IngestOptions.defaults().withBatchSize(8).withCommitEvery(10);

        IngestReport report = new Ingestor(counting, options).ingest(index, List.of(docs), listener);

        assertThat(report.added()).isEqualTo(30);
        assertThat(report.chunksWritten()).isEqualTo(30);
        assertThat(counting.batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 8));
        assertThat(counting.batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        assertThat(counting.batchSizes).hasSizeLessThanOrEqualTo(5);
        assertThat(commits).hasSizeGreaterThanOrEqualTo(3).isSorted();
        assertThat(commits.getLast()).isEqualTo(report.indexVersion());
        IngestProgress last = progress.getLast();
        assertThat(last.filesDone()).isEqualTo(30).isEqualTo(last.filesTotal());
        assertThat(last.fraction()).isEqualTo(1.0);
        assertThat(last.chunksDone()).isEqualTo(30);
        assertThat(last.documentsDone()).isEqualTo(30);
        assertThat(progress).extracting(IngestProgress::bytesDone).isSorted();
        assertThat(progress.get(progress.size() / 2).eta()).isPresent();
    }

    @Test
    void idsAreRelativeToTheRootWhicheverWayAFileIsGiven() throws Exception {
        write("team/plan.md", "The plan.");
        Path file = write("summary.md", "The summary.");
        Path other = Files.createDirectories(work.resolve("other"));
        Files.writeString(other.resolve("x.md"), "Other root.");
        Ingestor ingestor = ingestor(IngestOptions.defaults());

        ingestor.ingest(index, List.of(docs));
        assertThat(index.documentHashes("").keySet()).containsExactlyInAnyOrder("docs/team/plan.md", "docs/summary.md");
        IngestReport single = ingestor.ingest(index, List.of(file));
        assertThat(single.unchanged()).as("the same file given alone keeps its id").isEqualTo(1);
        assertThat(single.added() + single.deleted()).isZero();

        IngestReport otherRoot = ingestor.ingest(index, List.of(other));
        assertThat(otherRoot.deleted()).as("another directory's documents are not swept").isZero();
        assertThat(index.documentHashes("").keySet()).containsExactlyInAnyOrder("docs/team/plan.md", "docs/summary.md", "other/x.md");

        Ingestor rooted = ingestor(IngestOptions.defaults().withRoot(docs)
                .withDocumentDefaults(new DocumentDefaults("acme", List.of("u1"), Map.of("dept", "ops"))));
        CollectionIndex second = store.collection("rooted", true);
        rooted.ingest(second, List.of(docs.resolve("team")));
        assertThat(second.documentHashes("team/").keySet()).containsExactly("team/plan.md");
        SearchHit hit = second.search(Query.of("plan", 1).withMode(RetrievalMode.BM25), null).getFirst();
        assertThat(hit.source()).isEqualTo("team/plan.md");
        assertThat(hit.metadata()).containsEntry("dept", "ops");
    }

    @Test
    void aDocumentIdClaimedTwiceIsReportedOnce() throws Exception {
        write("one.jsonl", "{\"id\":\"same\",\"text\":\"First.\"}\n");
        write("two.jsonl", "{\"id\":\"same\",\"text\":\"Second.\"}\n");
        IngestReport report = ingestor(IngestOptions.defaults()).ingest(index, List.of(docs));
        assertThat(report.added()).isEqualTo(1);
        assertThat(report.failed()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("docs/two.jsonl");
            assertThat(p.reason()).contains("'same'").contains("docs/one.jsonl");
        });
    }

    @Test
    void missingPathsAndOversizedFilesAreReported() throws Exception {
        write("big.txt", "x".repeat(2_000));
        IngestReport report = ingestor(IngestOptions.defaults().withMaxFileBytes(1_000))
                .ingest(index, List.of(docs, work.resolve("nowhere")));
        assertThat(report.failed()).extracting(IngestReport.Problem::reason)
                .anySatisfy(r -> assertThat(r).contains("ingest.max_file_mb"))
                .anySatisfy(r -> assertThat(r).isEqualTo("no such file or directory"));
        assertThat(report.added()).isZero();
    }

    @Test
    void anEmbedderFailureEndsTheRunAfterCommittingWhatWasWritten() throws Exception {
        for (int i = 0; i < 6; i++) write("f" + i + ".md", "File number " + i + ".");
        CountingEmbedder failing = new CountingEmbedder(embedder) {
            @Override
            public List<float[]> embedAll(List<String> texts) {
                if (batchSizes.size() == 2) throw new IllegalStateException("model crashed");
                return super.embedAll(texts);
            }
        };
        IngestOptions options = IngestOptions.defaults().withBatchSize(2).withCommitEvery(100);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Ingestor(failing, options).ingest(index, List.of(docs)))
                .isInstanceOf(IllegalStateException.class).hasMessage("model crashed");

        assertThat(index.documentHashes("").keySet()).as("the two batches embedded before the failure are committed")
                .containsExactlyInAnyOrder("docs/f0.md", "docs/f1.md", "docs/f2.md", "docs/f3.md");
        IngestReport rerun = ingestor(IngestOptions.defaults()).ingest(index, List.of(docs));
        assertThat(rerun.unchanged()).isEqualTo(4);
        assertThat(rerun.added()).isEqualTo(2);
    }

    @Test
    void refusesAnIndexBuiltByAnotherModel() throws Exception {
        write("a.md", "Text.");
        EmbeddingModelInfo real = embedder.info();
        EmbeddingModelInfo other = new EmbeddingModelInfo("other-model", "f".repeat(64), real.dimensions(), real.maxTokens());
        try (LuceneIndexStore otherStore = new LuceneIndexStore(work.resolve("other-data"), other, LuceneIndexConfig.DEFAULTS)) {
            CollectionIndex foreign = otherStore.collection("docs", true);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ingestor(IngestOptions.defaults()).ingest(foreign, List.of(docs)))
                    .isInstanceOf(io.keel.core.error.ModelMismatchException.class)
                    .hasMessageContaining("keel reindex");
            assertThat(foreign.info().documents()).isZero();
        }
    }

    private Ingestor ingestor(IngestOptions options) {
        return new Ingestor(embedder, options);
    }

    private Path write(String relative, String content) throws Exception {
        Path file = docs.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** The real embedder, recording the size of every batch it is given. */
    private static class CountingEmbedder extends ForwardingEmbedder {
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

        CountingEmbedder(Embedder delegate) {
            super(delegate);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            batchSizes.add(texts.size());
            return delegate().embedAll(texts);
        }

        /** The real embedder is shared by the whole test class. */
        @Override
        public void close() {
        }
    }
}
