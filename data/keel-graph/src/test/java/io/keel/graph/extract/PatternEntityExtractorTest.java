package io.keel.graph.extract;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PatternEntityExtractorTest {
    private final PatternEntityExtractor extractor = new PatternEntityExtractor(
            new KnownEntities(List.of("Person-centered therapy", "Carl Rogers", "Journal of Mathematical Physics")));

    private List<List<String>> keys(String text) {
        return extractor.extract(text).stream().map(s -> s.stream().map(EntityExtractor.Surface::key).toList()).toList();
    }

    @Test
    void capitalisedSpansJoinConnectorsAndDropLeadingFunctionWords() {
        assertThat(keys("The current editor is Jan Philip Solovej from University of Copenhagen."))
                .containsExactly(List.of("jan philip solovej", "university of copenhagen"));
        assertThat(keys("In 1960 the Bank of America opened. It grew."))
                .containsExactly(List.of("bank of america"), List.of());
    }

    @Test
    void knownTitlesAreFoundInLowerCaseAndSpacedHyphens() {
        assertThat(keys("Person - centered therapy was developed by psychologist Carl Rogers in the 1940s."))
                .containsExactly(List.of("person centered therapy", "carl rogers"));
        assertThat(keys("He read the journal of mathematical physics daily."))
                .containsExactly(List.of("journal of mathematical physics"));
    }

    @Test
    void monthsAndPronounsAreNotEntities() {
        assertThat(keys("She was born in January. They moved to Paris in March 1990."))
                .containsExactly(List.of(), List.of("paris"));
    }

    @Test
    void namesNormaliseCaseAccentsArticlesPossessivesAndDisambiguation() {
        assertThat(EntityNames.key("The Beatles")).isEqualTo("beatles");
        assertThat(EntityNames.key("Hello Love (album)")).isEqualTo("hello love");
        assertThat(EntityNames.key("Gödel's")).isEqualTo("godel");
        assertThat(EntityNames.key("PERSON - Centered  Therapy")).isEqualTo("person centered therapy");
    }
}
