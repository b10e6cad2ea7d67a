package io.keel.index.lucene;

import io.keel.core.query.Filters;
import io.keel.core.query.Query;
import io.keel.core.query.RetrievalMode;
import io.keel.core.query.SearchHit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A process that dies without committing loses its writes; the last commit stays readable and writable. */
class CrashRecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void writesOfAProcessThatDiesBeforeCommitAreLost() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "--add-modules", "jdk.incubator.vector", CrashingIngest.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).as(output).contains("written");

        Path collection = dataDir.resolve("collections").resolve("crash");
        try (FSDirectory dir = FSDirectory.open(collection)) {
            Set<String> onDisk = new HashSet<>(Arrays.asList(dir.listAll()));
            onDisk.removeAll(SegmentInfos.readLatestCommit(dir).files(true));
            onDisk.remove("write.lock");
            assertThat(onDisk).as("segments flushed but never committed").isNotEmpty();
        }

        try (LuceneIndexStore store = new LuceneIndexStore(dataDir, Fixtures.MODEL_A, Fixtures.CONFIG)) {
            LuceneCollectionIndex index = store.collection("crash", false);
            assertThat(index.info().version()).isEqualTo(1);
            assertThat(index.info().chunks()).isEqualTo(1);
            assertThat(index.contentHash("lost-0")).isEmpty();
            List<SearchHit> hits = index.search(new Query("uncommitted words", 10, RetrievalMode.HYBRID, Filters.NONE, "crash"),
                    Fixtures.axis(0));
            assertThat(hits).extracting(SearchHit::documentId).containsExactly("committed");

            Fixtures.put(index, Fixtures.doc("after").build(), "written after the crash", Fixtures.axis(1));
            assertThat(index.commit()).isEqualTo(2);
            assertThat(index.info().chunks()).isEqualTo(2);
        }
    }
}
