package io.keel.graph.ner;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.ExtractorProvider;
import io.keel.graph.extract.GraphExtraction;
import io.keel.graph.extract.KnownEntities;
import io.keel.graph.spi.DocumentGraph;
import io.keel.guard.ner.NerRecognizer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real NLP4J model (loaded once for the class: about half a minute). */
class NerEntityExtractorTest {
    private static final NerEntityExtractor NER = new NerEntityExtractor(NerRecognizer.shared());

    private static List<List<String>> keys(EntityExtractor extractor, String text) {
        return extractor.extract(text).stream().map(s -> s.stream().map(EntityExtractor.Surface::key).toList()).toList();
    }

    @Test
    void namesOfPeopleOrganisationsAndPlacesSentenceBySentence() {
        assertThat(keys(NER, "John Smith lives in Paris. He works at Google with Anna Lee."))
                .containsExactly(List.of("john smith", "paris"), List.of("google", "anna lee"));
        assertThat(keys(NER, "The Beatles were formed in Liverpool in 1960 and sold 600 million records."))
                .as("dates and quantities are not entities; the article is not part of the key")
                .containsExactly(List.of("beatles", "liverpool"));
        assertThat(keys(NER, "The Battle of Hastings was fought in 1066 between the army of William, the Duke of Normandy, and an English army."))
                .as("events and nationalities are").contains(List.of("battle of hastings", "william", "normandy", "english"));
    }

    @Test
    void sentenceInitialWordsAreNotTakenForNames() {
        assertThat(keys(NER, "Originally, the town was called Fort Dearborn. Located on Lake Michigan, Chicago grew fast."))
                .containsExactly(List.of("fort dearborn"), List.of("lake michigan", "chicago"));
    }

    @Test
    void aLowerCaseConceptIsNoNameToTheModel() {
        assertThat(keys(NER, "Person - centered therapy was developed by psychologist Carl Rogers in the 1940s."))
                .containsExactly(List.of("carl rogers"));
    }

    @Test
    void graphExtractorNerIsFoundOnTheClassPathAndRelatesWhatOneSentenceNames() {
        EntityExtractor extractor = ExtractorProvider.named("ner").create(new KnownEntities(List.of("Pearl Jam")));
        assertThat(extractor).isInstanceOf(NerEntityExtractor.class);
        Document d = new Document("brother", "Brother (Pearl Jam album)", "brother.txt", "h", Instant.EPOCH, "text/plain", Map.of(),
                "default", List.of(), List.<Block>of());
        Chunk chunk = new Chunk("brother#0", "brother", 0,
                "Brother is the second studio album by the American rock band Pearl Jam, recorded in Seattle.", List.of(), 20);
        DocumentGraph g = new GraphExtraction(extractor).of(d, List.of(chunk));
        assertThat(g.mentions()).extracting(DocumentGraph.Mention::key)
                .as("the document's title is mentioned by its chunks, whatever the model finds")
                .containsExactlyInAnyOrder("brother", "american", "pearl jam", "seattle");
        assertThat(g.relations()).as("a clique per sentence plus the title's star").hasSize(6);
        assertThat(g.relations()).filteredOn(r -> r.weight() == GraphExtraction.SENTENCE_WEIGHT).hasSize(3);
    }
}
