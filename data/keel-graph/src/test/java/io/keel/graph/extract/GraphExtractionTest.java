package io.keel.graph.extract;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.graph.spi.DocumentGraph;
import io.keel.graph.spi.EntityIds;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class GraphExtractionTest {

    static Document document(String id, String title, String tenant, List<String> acl) {
        return new Document(id, title, id + ".txt", "h-" + id, Instant.EPOCH, "text/plain", Map.of(), tenant, acl, List.<Block>of());
    }

    @Test
    void titleIsMentionedByEveryChunkAndTitleWordsResolveToIt() {
        Document d = document("d1", "Carl Rogers", "default", List.of());
        List<Chunk> chunks = List.of(
                new Chunk("d1#0", "d1", 0, "Rogers was born in Oak Park, Illinois. He studied at the University of Wisconsin.", List.of(), 20),
                new Chunk("d1#1", "d1", 1, "Later he taught at Ohio State University.", List.of(), 10));
        DocumentGraph g = new GraphExtraction(new PatternEntityExtractor(new KnownEntities(List.of()))).of(d, chunks);

        Map<String, List<String>> byChunk = g.mentions().stream().collect(Collectors.groupingBy(DocumentGraph.Mention::chunkId,
                Collectors.mapping(DocumentGraph.Mention::key, Collectors.toList())));
        assertThat(byChunk.get("d1#0")).containsExactlyInAnyOrder("carl rogers", "oak park", "illinois", "university of wisconsin");
        assertThat(byChunk.get("d1#1")).containsExactlyInAnyOrder("carl rogers", "ohio state university");
        DocumentGraph.Mention rogers = g.mentions().stream().filter(m -> m.chunkId().equals("d1#0") && m.key().equals("carl rogers")).findFirst().orElseThrow();
        assertThat(rogers.title()).isTrue();
        assertThat(rogers.count()).isEqualTo(2); // the title, and "Rogers" in the text

        // "Rogers" and "Oak Park" share a sentence (weight 1); the title and "University of Wisconsin" only the chunk;
        // two non-title entities of different sentences are not related.
        assertThat(weight(g, "carl rogers", "oak park", "d1#0")).isEqualTo(GraphExtraction.SENTENCE_WEIGHT);
        assertThat(weight(g, "oak park", "illinois", "d1#0")).isEqualTo(GraphExtraction.SENTENCE_WEIGHT); // a comma ends a span
        assertThat(weight(g, "carl rogers", "university of wisconsin", "d1#0")).isEqualTo(GraphExtraction.CHUNK_WEIGHT);
        assertThat(weight(g, "oak park", "university of wisconsin", "d1#0")).isZero();
        assertThat(weight(g, "oak park", "ohio state university", "d1#1")).isZero();
    }

    @Test
    void aTitleThatRepeatsAWordIsStillOneEntity() {
        Document d = document("d2", "The Lord of the Rings", "default", List.of());
        List<Chunk> chunks = List.of(new Chunk("d2#0", "d2", 0, "The Lord of the Rings was written by Tolkien.", List.of(), 12));
        DocumentGraph g = new GraphExtraction(new PatternEntityExtractor(new KnownEntities(List.of(d.title())))).of(d, chunks);
        assertThat(g.mentions()).extracting(DocumentGraph.Mention::key).containsExactlyInAnyOrder("lord of the rings", "tolkien");
        assertThat(g.mentions()).filteredOn(m -> m.key().equals("lord of the rings")).singleElement()
                .satisfies(m -> assertThat(m.count()).isEqualTo(2));
    }

    private static double weight(DocumentGraph g, String a, String b, String chunk) {
        DocumentGraph.Relation wanted = new DocumentGraph.Relation(EntityIds.of(a), EntityIds.of(b), chunk, 0);
        return g.relations().stream().filter(r -> r.source().equals(wanted.source()) && r.target().equals(wanted.target())
                && r.chunkId().equals(chunk)).mapToDouble(DocumentGraph.Relation::weight).sum();
    }
}
