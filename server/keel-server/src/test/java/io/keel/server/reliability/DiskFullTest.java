package io.keel.server.reliability;

import io.keel.app.Keel;
import io.keel.app.config.KeelConfig;
import io.keel.server.KeelServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The data directory's filesystem fills up during ingestion: a real, small tmpfs is mounted as the data directory,
 * nearly filled, and documents are pushed until a write fails. The push must fail with a clear error, the index must
 * keep every document committed before, and pushes must succeed again once space is freed, without a restart.
 * Mounting needs root (CAP_SYS_ADMIN); where the build cannot mount, the test is skipped and says so.
 */
class DiskFullTest {
    private static final String SIZE = "24m";

    @Test
    void aFullDataDirectoryFailsThePushCleanlyKeepsTheIndexAndRecoversWhenSpaceReturns() throws Exception {
        Path mount = Files.createTempDirectory("keel-diskfull");
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (needs root); the disk-full fault is not exercised");
        KeelServer server = null;
        try {
            KeelConfig config = KeelConfig.defaults().withDataDir(mount.resolve("data"));
            Keel keel = Keel.open(config);
            server = KeelServer.start(keel, config.server().withPort(0));
            int port = server.port();
            // documents committed while there is room
            for (int i = 0; i < 5; i++) assertThat(push(port, "before-" + i, 1).status()).isEqualTo(200);

            Path filler = mount.resolve("filler");
            fill(filler, mount);
            List<String> failures = new ArrayList<>();
            int pushed = 0;
            long slowest = 0;
            for (int i = 0; i < 400 && failures.isEmpty(); i++, pushed++) {
                long start = System.nanoTime();
                RawHttp.Exchange e = push(port, "during-" + i, 8);
                slowest = Math.max(slowest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                assertThat(e.hung()).isFalse();
                if (e.status() != 200) failures.add(e.status() + " " + last(e.answer()));
            }
            String summary = "disk full " + java.time.Instant.now() + ": tmpfs " + SIZE + "; " + pushed
                    + " pushes before the first failure: " + failures + "; slowest " + slowest + " ms";
            assertThat(failures).as("the disk filled up: " + summary).isNotEmpty();
            assertThat(failures.getFirst()).as(summary).doesNotStartWith("200").contains("\"error\"").doesNotContain("Exception");

            // the committed documents are still there, and the server still answers
            RawHttp.Exchange live = RawHttp.send(port, RawHttp.request("GET", "/health/live", null, null), 10_000);
            assertThat(live.status()).isEqualTo(200);
            RawHttp.Exchange found = retrieve(port, "before-3");
            assertThat(found.status()).as(last(found.answer())).isEqualTo(200);
            assertThat(found.answer()).contains("before-3");

            // space returns: pushes work again, without a restart
            Files.delete(filler);
            RawHttp.Exchange after = null;
            long recovered = System.nanoTime();
            for (int attempt = 0; attempt < 50; attempt++) {
                after = push(port, "after-" + attempt, 1);
                if (after.status() == 200) break;
                Thread.sleep(200);
            }
            summary += "; after freeing space: " + after.status() + " in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - recovered) + " ms";
            FuzzServer.report("disk-full", summary);
            assertThat(after.status()).as(summary + " " + last(after.answer())).isEqualTo(200);
            assertThat(retrieve(port, "before-3").answer()).contains("before-3");
        } finally {
            if (server != null) server.close();
            run("umount", "-l", mount.toString());
        }
    }

    private static RawHttp.Exchange push(int port, String id, int paragraphs) throws IOException {
        StringBuilder content = new StringBuilder("# Note ").append(id).append("\\n\\n");
        for (int p = 0; p < paragraphs; p++) {
            content.append("Paragraph ").append(p).append(" of ").append(id)
                    .append(" describes shipping, invoices, warehouses and the returns policy in some detail. ".repeat(6)).append("\\n\\n");
        }
        String body = "{\"op\":\"upsert\",\"id\":\"" + id + "\",\"version\":1,\"media_type\":\"text/markdown\",\"content\":\""
                + content + "\"}";
        return RawHttp.send(port, RawHttp.request("POST", "/v1/documents", "application/json", body.getBytes(StandardCharsets.UTF_8)), 60_000);
    }

    private static RawHttp.Exchange retrieve(int port, String id) throws IOException {
        return RawHttp.send(port, RawHttp.request("POST", "/v1/retrieve", "application/json",
                ("{\"query\":\"Note " + id + "\",\"mode\":\"bm25\",\"top_k\":3}").getBytes(StandardCharsets.UTF_8)), 30_000);
    }

    /** Fills the filesystem of {@code mount} until about 256 KiB are left. */
    private static void fill(Path filler, Path mount) throws IOException {
        long free = Files.getFileStore(mount).getUsableSpace();
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            for (long written = 0; written < free - 256 * 1024; written += block.length) out.write(block);
        }
    }

    private static String last(String answer) {
        return answer.lines().reduce((a, b) -> b).orElse("");
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
