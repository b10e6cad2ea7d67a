package io.keel.ingest.parse;

import io.keel.core.document.Block;
import io.keel.core.document.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonlParserTest {
    @TempDir
    Path root;

    @Test
    void eachLineIsADocumentAndBadLinesAreReportedWithTheirNumber() throws Exception {
        String beir = "{\"_id\": \"4983\", \"title\": \"Microstructural development\", \"text\": \"Alterations of the architecture. Second sentence.\"}";
        List<String> lines = List.of(
                beir,
                "{\"id\": 17, \"title\": \"Numbered\", \"text\": \"First paragraph.\\n\\nSecond paragraph.\", \"metadata\": {\"year\": 2020, \"tags\": [\"a\"]}}",
                "",
                "{\"id\": \"broken\", \"text\": ",
                "[1, 2, 3]",
                "{\"title\": \"no id\", \"text\": \"x\"}",
                "{\"_id\": \"4983\", \"text\": \"duplicate\"}",
                "{\"id\": \"only-title\", \"title\": \"Title only\"}",
                "{\"id\": \"last\", \"text\": \"Still read after the bad lines.\"}");
        Path file = root.resolve("data/corpus.jsonl");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);

        Collected sink = Collected.parse(new JsonlParser(), SourceFile.of(root, file,
                new DocumentDefaults("acme", List.of("u1"), Map.of("corpus", "test"))));

        assertThat(sink.documents).extracting(Document::id).containsExactly("4983", "17", "only-title", "last");
        assertThat(sink.rejected).hasSize(4);
        assertThat(sink.rejected.get(0)).startsWith("data/corpus.jsonl:4: not valid JSON");
        assertThat(sink.rejected.get(1)).isEqualTo("data/corpus.jsonl:5: expected a JSON object");
        assertThat(sink.rejected.get(2)).isEqualTo("data/corpus.jsonl:6: missing \"id\" (or \"_id\")");
        assertThat(sink.rejected.get(3)).isEqualTo("data/corpus.jsonl:7: duplicate id '4983', first used on line 1");

        Document first = sink.documents.getFirst();
        assertThat(first.title()).isEqualTo("Microstructural development");
        assertThat(first.source()).isEqualTo("data/corpus.jsonl#4983");
        assertThat(first.contentHash()).isEqualTo(ContentHash.sha256(beir.getBytes(StandardCharsets.UTF_8)));
        assertThat(first.mediaType()).isEqualTo(JsonlParser.MEDIA_TYPE);
        assertThat(first.blocks()).containsExactly(Block.paragraph("Alterations of the architecture. Second sentence."));
        assertThat(first.tenant()).isEqualTo("acme");
        assertThat(first.acl()).containsExactly("u1");
        assertThat(first.modified()).isEqualTo(Files.getLastModifiedTime(file).toInstant());

        Document second = sink.documents.get(1);
        assertThat(second.blocks()).extracting(Block::text).containsExactly("First paragraph.", "Second paragraph.");
        assertThat(second.metadata()).containsEntry("year", "2020").containsEntry("tags", "[\"a\"]").containsEntry("corpus", "test");
        assertThat(sink.documents.get(2).blocks()).containsExactly(Block.paragraph("Title only"));
    }

    @Test
    void unchangedRecordsAreNotBuilt() throws Exception {
        Path file = root.resolve("c.jsonl");
        Files.writeString(file, "{\"id\":\"a\",\"text\":\"A.\"}\n{\"id\":\"b\",\"text\":\"B.\"}\n");
        String hashOfA = ContentHash.sha256("{\"id\":\"a\",\"text\":\"A.\"}".getBytes(StandardCharsets.UTF_8));
        long[] lastPosition = {0};
        Collected sink = new Collected() {
            @Override
            public boolean wants(String documentId, String contentHash) {
                return !contentHash.equals(hashOfA);
            }

            @Override
            public void position(long bytesRead) {
                lastPosition[0] = bytesRead;
            }
        };
        new JsonlParser().parse(SourceFile.of(root, file, null), sink);
        assertThat(sink.documents).extracting(Document::id).containsExactly("b");
        assertThat(lastPosition[0]).isEqualTo(Files.size(file));
    }
}
