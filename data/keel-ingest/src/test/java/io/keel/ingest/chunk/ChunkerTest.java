package io.keel.ingest.chunk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.error.KeelException;
import io.keel.core.spi.TokenCounter;
import io.keel.ingest.TestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class ChunkerTest {
    private static TokenCounter tokens;
    private static Chunker chunker;

    @BeforeAll
    static void loadTokenizer() {
        tokens = TestSupport.embedder().tokenCounter();
        chunker = new Chunker(tokens, ChunkerConfig.defaults());
    }

    @Test
    void usesTheWholeModelWindowByDefaultAndNeverMore() {
        assertThat(chunker.maxTokens()).isEqualTo(tokens.maxTokens()).isEqualTo(128);
        assertThat(new Chunker(tokens, ChunkerConfig.defaults().withMaxTokens(4096)).maxTokens()).isEqualTo(128);
        assertThat(new Chunker(tokens, ChunkerConfig.defaults().withMaxTokens(64)).maxTokens()).isEqualTo(64);
        assertThatThrownBy(() -> new Chunker(tokens, ChunkerConfig.defaults().withMaxTokens(8)))
                .isInstanceOf(KeelException.class).hasMessageContaining("chunking.max_tokens");
    }

    @Test
    void scifactAbstractsFitTheModelAndKeepEveryWordInOrder() throws Exception {
        var corpus = TestSupport.scifactCorpus();
        assumeThat(corpus).as("SciFact corpus under shared/datasets").isPresent();
        ObjectMapper json = new ObjectMapper();
        Chunker noOverlap = new Chunker(tokens, ChunkerConfig.defaults().withOverlapSentences(0));
        Map<Integer, Integer> histogram = new TreeMap<>();
        int documents = 0;
        long chunkCount = 0;
        long chunkCountWithoutOverlap = 0;
        for (String line : TestSupport.head(corpus.get(), 400)) {
            JsonNode record = json.readTree(line);
            Document doc = document(record.get("_id").asText(), record.get("title").asText(),
                    List.of(Block.paragraph(record.get("text").asText())));
            List<Chunk> chunks = chunker.chunk(doc);
            assertFitsAndCounted(doc, chunks, chunker.maxTokens());
            assertWordsPreserved(doc, chunks);
            histogram.merge(chunks.size(), 1, Integer::sum);
            chunkCountWithoutOverlap += noOverlap.chunk(doc).size();
            documents++;
            chunkCount += chunks.size();
        }
        double perDocument = (double) chunkCount / documents;
        System.out.printf("SciFact: %d abstracts -> %d chunks (%.2f per abstract), histogram %s; %.2f without overlap%n",
                documents, chunkCount, perDocument, histogram, (double) chunkCountWithoutOverlap / documents);
        assertThat(perDocument).isBetween(2.0, 6.0);
        assertThat(chunkCountWithoutOverlap).isLessThanOrEqualTo(chunkCount);
    }

    @Test
    void headingsStartChunksAndFormTheHeadingPath() {
        Document doc = document("guide.md", "Guide", List.of(
                Block.heading(1, "Guide"),
                Block.paragraph("Keel answers questions from your documents. It cites every source."),
                Block.heading(2, "Install"),
                Block.paragraph("Download the archive. Unpack it anywhere."),
                new Block(Block.Kind.LIST_ITEM, 1, "Java 21 or newer."),
                new Block(Block.Kind.LIST_ITEM, 1, "Two gigabytes of memory."),
                Block.heading(3, "Linux"),
                Block.paragraph("Run the install script."),
                Block.heading(2, "Configure"),
                Block.paragraph("Edit keel.yaml.")));
        List<Chunk> chunks = chunker.chunk(doc);

        assertThat(chunks).extracting(Chunk::headingPath).containsExactly(
                List.of("Guide"),
                List.of("Guide", "Install"),
                List.of("Guide", "Install", "Linux"),
                List.of("Guide", "Configure"));
        assertThat(chunks).extracting(Chunk::text).containsExactly(
                "Keel answers questions from your documents. It cites every source.",
                "Download the archive. Unpack it anywhere.\n\nJava 21 or newer.\n\nTwo gigabytes of memory.",
                "Run the install script.",
                "Edit keel.yaml.");
        assertThat(chunks).extracting(Chunk::id).containsExactly("guide.md#0", "guide.md#1", "guide.md#2", "guide.md#3");
        assertThat(chunks.get(1).embeddingText(doc.title()))
                .isEqualTo("Guide. Install. Download the archive. Unpack it anywhere.\n\nJava 21 or newer.\n\nTwo gigabytes of memory.");
        assertFitsAndCounted(doc, chunks, chunker.maxTokens());
    }

    @Test
    void packsWholeSentencesAndRepeatsOneSentenceAsOverlap() {
        List<String> sentences = new ArrayList<>();
        for (int i = 1; i <= 40; i++) sentences.add("Sentence number " + i + " describes a small and quite ordinary fact.");
        Document doc = document("facts.txt", "facts", List.of(Block.paragraph(String.join(" ", sentences))));
        List<Chunk> chunks = chunker.chunk(doc);

        assertThat(chunks).hasSizeGreaterThan(3);
        assertFitsAndCounted(doc, chunks, chunker.maxTokens());
        assertWordsPreserved(doc, chunks);
        for (Chunk chunk : chunks) {
            assertThat(chunk.text()).startsWith("Sentence number ").endsWith("fact.");
        }
        for (int i = 1; i < chunks.size(); i++) {
            String previous = chunks.get(i - 1).text();
            String lastSentence = previous.substring(previous.lastIndexOf("Sentence number "));
            assertThat(chunks.get(i).text()).as("chunk %d opens with the last sentence of chunk %d", i, i - 1)
                    .startsWith(lastSentence + " ");
        }
        List<Chunk> withoutOverlap = new Chunker(tokens, ChunkerConfig.defaults().withOverlapSentences(0)).chunk(doc);
        assertThat(String.join(" ", withoutOverlap.stream().map(Chunk::text).toList())).isEqualTo(String.join(" ", sentences));
        assertThat(withoutOverlap.size()).isLessThanOrEqualTo(chunks.size());
    }

    @Test
    void overlapNeverCrossesAHeading() {
        Document doc = document("a.md", "", List.of(
                Block.heading(1, "One"), Block.paragraph("The first section ends here."),
                Block.heading(1, "Two"), Block.paragraph("The second section starts fresh.")));
        assertThat(chunker.chunk(doc)).extracting(Chunk::text)
                .containsExactly("The first section ends here.", "The second section starts fresh.");
    }

    @Test
    void splitsASentenceLongerThanAChunkAtWordBoundaries() {
        String words = String.join(" ", java.util.Collections.nCopies(400, "lorem ipsum dolor")) + ".";
        Document doc = document("long.txt", "long", List.of(Block.paragraph(words)));
        List<Chunk> chunks = chunker.chunk(doc);

        assertThat(chunks).hasSizeGreaterThan(5);
        assertFitsAndCounted(doc, chunks, chunker.maxTokens());
        for (Chunk chunk : chunks) {
            assertThat(chunk.text().split(" ")).allSatisfy(w -> assertThat(w).isIn("lorem", "ipsum", "dolor", "dolor."));
        }
        assertWordsPreserved(doc, chunks);
    }

    @Test
    void cutsAWordLongerThanAChunkAtCharacters() {
        String blob = "QmFzZTY0".repeat(200);
        Document doc = document("blob.txt", "blob", List.of(Block.paragraph("Before. " + blob + " After.")));
        List<Chunk> chunks = chunker.chunk(doc);

        assertFitsAndCounted(doc, chunks, chunker.maxTokens());
        String joined = String.join("", chunks.stream().map(Chunk::text).toList()).replace(" ", "");
        assertThat(joined).contains(blob).startsWith("Before.").endsWith("After.");
    }

    @Test
    void keepsCodeAndTablesLineByLine() {
        String code = "public static void main(String[] args) {\n    System.out.println(\"hello\");\n}";
        Document doc = document("code.md", "code", List.of(
                Block.paragraph("An example:"), new Block(Block.Kind.CODE, 0, code),
                new Block(Block.Kind.TABLE, 0, "name | value\nalpha | 1")));
        List<Chunk> chunks = chunker.chunk(doc);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.getFirst().text()).isEqualTo("An example:\n\n" + code + "\n\nname | value\nalpha | 1");
    }

    @Test
    void respectsASmallerConfiguredLimit() {
        Chunker small = new Chunker(tokens, ChunkerConfig.defaults().withMaxTokens(48));
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 30; i++) sentences.add("Retrieval quality depends on chunk size, item " + i + ".");
        Document doc = document("s.txt", "A title", List.of(Block.paragraph(String.join(" ", sentences))));
        List<Chunk> chunks = small.chunk(doc);
        assertFitsAndCounted(doc, chunks, 48);
        assertWordsPreserved(doc, chunks);
    }

    @Test
    void dropsOuterHeadingsBeforeGivingUpAndRejectsATitleThatLeavesNoRoom() {
        String longHeading = "A heading that goes on and on about many different things ".repeat(5).strip();
        Document deep = document("deep.md", "Manual", List.of(
                Block.heading(1, longHeading), Block.heading(2, "Second " + longHeading),
                Block.paragraph("The body text is short.")));
        List<Chunk> chunks = chunker.chunk(deep);
        assertFitsAndCounted(deep, chunks, chunker.maxTokens());
        assertThat(chunks.getFirst().headingPath()).containsExactly("Second " + longHeading);

        Document hopeless = document("t.txt", "word ".repeat(200), List.of(Block.paragraph("Text.")));
        assertThatThrownBy(() -> chunker.chunk(hopeless))
                .isInstanceOf(KeelException.class).hasMessageContaining("shorten the title");
    }

    @Test
    void theRealCountDecidesWhenJoiningCostsMoreThanThePartsSuggest() {
        // A tokenizer that charges five tokens for each blank line between blocks, which per-sentence estimates miss.
        TokenCounter costlyJoins = new TokenCounter() {
            @Override
            public int countTokens(String text) {
                int words = text.isBlank() ? 0 : text.strip().split("\\s+").length;
                return 2 + words + 5 * (text.split("\n\n", -1).length - 1);
            }

            @Override
            public int maxTokens() {
                return 40;
            }
        };
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 12; i++) blocks.add(new Block(Block.Kind.LIST_ITEM, 1, "item " + i + " has five words."));
        Document doc = document("items.md", "", blocks);
        List<Chunk> chunks = new Chunker(costlyJoins, ChunkerConfig.defaults().withOverlapSentences(0)).chunk(doc);

        assertThat(chunks).allSatisfy(c -> {
            assertThat(costlyJoins.countTokens(c.embeddingText(""))).isLessThanOrEqualTo(40);
            assertThat(c.tokens()).isEqualTo(costlyJoins.countTokens(c.embeddingText("")));
        });
        assertThat(String.join("\n\n", chunks.stream().map(Chunk::text).toList()))
                .isEqualTo(String.join("\n\n", blocks.stream().map(Block::text).toList()));
    }

    @Test
    void anEmptyDocumentHasNoChunks() {
        assertThat(chunker.chunk(document("empty.txt", "empty", List.of()))).isEmpty();
    }

    static Document document(String id, String title, List<Block> blocks) {
        return new Document(id, title, id, "0".repeat(64), Instant.EPOCH, "text/plain", Map.of(), null, null, blocks);
    }

    /** Every chunk's embedding text is within the limit by the real tokenizer, and {@code tokens} is that count. */
    static void assertFitsAndCounted(Document doc, List<Chunk> chunks, int limit) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            int counted = tokens.countTokens(chunk.embeddingText(doc.title()));
            assertThat(counted).as("tokens of chunk %s", chunk.id()).isLessThanOrEqualTo(limit);
            assertThat(chunk.tokens()).isEqualTo(counted);
            assertThat(chunk.ordinal()).isEqualTo(i);
            assertThat(chunk.id()).isEqualTo(doc.id() + "#" + i);
            assertThat(chunk.documentId()).isEqualTo(doc.id());
        }
    }

    /**
     * The chunks, each with its overlap (a prefix repeating the previous chunk's end) removed, spell out the words of
     * the document's non-heading blocks in order.
     */
    static void assertWordsPreserved(Document doc, List<Chunk> chunks) {
        List<String> expected = new ArrayList<>();
        for (Block block : doc.blocks()) {
            if (block.kind() != Block.Kind.HEADING) expected.addAll(words(block.text()));
        }
        int position = 0;
        for (Chunk chunk : chunks) {
            List<String> words = words(chunk.text());
            int overlap = -1;
            for (int k = 0; k <= Math.min(position, words.size() - 1); k++) {
                List<String> head = words.subList(0, k);
                List<String> tail = words.subList(k, words.size());
                if (head.equals(expected.subList(position - k, position))
                        && position + tail.size() <= expected.size()
                        && tail.equals(expected.subList(position, position + tail.size()))) {
                    overlap = k;
                    break;
                }
            }
            assertThat(overlap).as("chunk %s continues the text in order: %s", chunk.id(), chunk.text()).isGreaterThanOrEqualTo(0);
            position += words.size() - overlap;
        }
        assertThat(position).as("all %d words of %s are in its chunks", expected.size(), doc.id()).isEqualTo(expected.size());
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
