package io.keel.graph.llm;

import io.keel.core.chat.ChatRequest;
import io.keel.graph.extract.EntityExtractor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExtractionPromptTest {

    @Test
    void aBatchIsOneRequestWithNumberedPassages() {
        ChatRequest r = ExtractionPrompt.request("m", List.of("First text.", "  Second text. "), 1024);
        assertThat(r.model()).isEqualTo("m");
        assertThat(r.maxTokens()).isEqualTo(1024);
        assertThat(r.temperature()).isZero();
        assertThat(r.messages()).hasSize(2);
        assertThat(r.messages().getLast().content()).isEqualTo("Passage 1:\nFirst text.\n\nPassage 2:\nSecond text.");
    }

    @Test
    void theStrictFormIsReadPassageByPassage() {
        Map<Integer, Extraction> out = ExtractionPrompt.parse("""
                {"passages":[{"id":2,"entities":["Pearl Jam","Seattle"],"relations":[["Pearl Jam","Seattle"]]},
                             {"id":1,"entities":["Brother"],"relations":[]}]}""", 2);
        assertThat(out.get(0).entities()).containsExactly("Brother");
        assertThat(out.get(1).relations()).containsExactly(List.of("Pearl Jam", "Seattle"));
        assertThat(ExtractionPrompt.parse("```json\n{\"passages\":[{\"id\":1,\"entities\":[]}]}\n```", 1))
                .as("one code fence around it is tolerated; relations may be left out").containsOnlyKeys(0);
    }

    @Test
    void aMalformedPassageIsLeftOutAndAMalformedAnswerIsRefused() {
        Map<Integer, Extraction> out = ExtractionPrompt.parse("""
                {"passages":[{"id":1,"entities":["A", 3]},{"id":2,"entities":["B"],"relations":[["B"]]},
                             {"id":3,"entities":["C"]},{"id":9,"entities":["D"]},{"id":3,"entities":["E"]}]}""", 3);
        assertThat(out).as("a number as a name, a one-sided relation, an id out of range, a repeated id").containsOnlyKeys(2);
        assertThat(out.get(2).entities()).containsExactly("C");
        assertThatThrownBy(() -> ExtractionPrompt.parse("Sure! Here they are: Pearl Jam, Seattle.", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not JSON");
        assertThatThrownBy(() -> ExtractionPrompt.parse("[{\"id\":1}]", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("passages");
    }

    @Test
    void relationsBecomePairsAndLoneEntitiesMentions() {
        Extraction e = new Extraction(List.of("Pearl Jam", "Seattle", "Brother", "the"), List.of(List.of("Pearl Jam", "Seattle"),
                List.of("Brother", "The Pearl Jam")));
        List<List<String>> groups = e.groups().stream().map(g -> g.stream().map(EntityExtractor.Surface::key).toList()).toList();
        assertThat(groups).as("a function word is no entity; names merge by key")
                .containsExactly(List.of("pearl jam", "seattle"), List.of("brother", "pearl jam"));
        assertThat(ExtractionPrompt.fromJson(ExtractionPrompt.toJson(e))).isEqualTo(e);
        assertThat(ExtractionPrompt.fromJson("not json")).isNull();
    }
}
