package io.keel.graph.retrieve;

import io.keel.core.query.SearchHit;
import io.keel.graph.spi.GraphSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The second place of a graph ranking goes to a document linked to the first through a bridge the question does not name. */
class PairSecondTest {
    // Entities: 0 Brother (album), 1 Pearl Jam (band), 2 Seattle, 3 Eddie Vedder.
    // Documents: "brother" titled Brother, mentions Pearl Jam; "pearl" titled Pearl Jam, mentions Seattle and Eddie Vedder;
    // "seattle" titled Seattle; "other" without title entity, mentions Brother.
    private static final GraphModel MODEL = GraphModel.of(new GraphSnapshot(1,
            List.of(node("brother"), node("pearl jam"), node("seattle"), node("eddie vedder")),
            List.of(
                    mention("brother", "brother#0", "brother", true),
                    mention("pearl jam", "brother#0", "brother", false),
                    mention("pearl jam", "pearl#0", "pearl", true),
                    mention("seattle", "pearl#1", "pearl", false),
                    mention("eddie vedder", "pearl#1", "pearl", false),
                    mention("seattle", "seattle#0", "seattle", true),
                    mention("brother", "other#0", "other", false)),
            List.of()));

    private static final int BROTHER = MODEL.byKey.get("brother");
    private static final int PEARL_JAM = MODEL.byKey.get("pearl jam");

    @Test
    void aDocumentTitledByAnEntityTheFirstMentionsMovesToSecondPlace() {
        List<SearchHit> hits = hits("brother#0", "seattle#0", "other#0", "pearl#0");
        assertThat(documents(hits, GraphRetriever.pairSecond(MODEL, hits, order(4), Set.of(BROTHER), 4, "")))
                .containsExactly("brother", "pearl", "seattle", "other");
    }

    @Test
    void aDocumentMentioningTheFirstDocumentsTitleIsLinkedToo() {
        // The second hop ranked first: "brother" mentions Pearl Jam, the title of the first document.
        List<SearchHit> hits = hits("pearl#0", "other#0", "brother#0");
        assertThat(documents(hits, GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(), 3, "")))
                .containsExactly("pearl", "brother", "other");
    }

    @Test
    void aBridgeTheQuestionNamesIsNoLink() {
        // "Pearl Jam" is in the question: a document about it is found by the question itself, not by the chain.
        List<SearchHit> hits = hits("brother#0", "seattle#0", "pearl#0");
        assertThat(GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(PEARL_JAM), 3, "")).isEqualTo(order(3));
    }

    @Test
    void twoDocumentsTitledByEntitiesTheQuestionNamesAreLinked() {
        // "Which is older, Brother or Seattle?": no chain between them, but the question names both titles.
        int seattle = MODEL.byKey.get("seattle");
        List<SearchHit> hits = hits("brother#0", "other#0", "seattle#0");
        assertThat(documents(hits, GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(BROTHER, seattle), 3, "")))
                .containsExactly("brother", "seattle", "other");
        // With only Brother named, Seattle is not linked to it (the Brother document does not mention Seattle).
        assertThat(GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(BROTHER), 3, "")).isEqualTo(order(3));
    }

    @Test
    void aDocumentTheQuestionNamesLeadsWhenTheFirstIsNotNamed() {
        // "Which city is Pearl Jam from?": the Pearl Jam document ranked second behind an unnamed one swaps to the top.
        List<SearchHit> hits = hits("brother#0", "pearl#0", "other#0");
        assertThat(GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(PEARL_JAM), 3, "")).containsExactly(1, 0, 2);
        // Then the pair step follows the new first: Seattle, which the Pearl Jam document mentions, takes rank 2.
        List<SearchHit> chain = hits("brother#0", "pearl#0", "other#0", "seattle#0");
        assertThat(documents(chain, GraphRetriever.pairSecond(MODEL, chain, order(4), Set.of(PEARL_JAM), 4, "")))
                .containsExactly("pearl", "seattle", "brother", "other");
        // With the pair step off (window 2 or less) nothing moves.
        assertThat(GraphRetriever.pairSecond(MODEL, hits, order(3), Set.of(PEARL_JAM), 0, "")).isEqualTo(order(3));
    }

    @Test
    void nothingMovesWhenTheSecondIsAlreadyLinkedOrTheLinkIsOutsideTheWindow() {
        List<SearchHit> linked = hits("brother#0", "pearl#0", "seattle#0");
        assertThat(GraphRetriever.pairSecond(MODEL, linked, order(3), Set.of(), 3, "")).isEqualTo(order(3));
        List<SearchHit> far = hits("brother#0", "seattle#0", "other#0", "pearl#0");
        assertThat(GraphRetriever.pairSecond(MODEL, far, order(4), Set.of(BROTHER), 3, "")).isEqualTo(order(4));
        assertThat(GraphRetriever.pairSecond(MODEL, far, order(4), Set.of(BROTHER), 0, "")).isEqualTo(order(4));
    }

    @Test
    void onlyTheBestChunkOfTheLinkedDocumentMovesAndEveryChunkIsKept() {
        List<SearchHit> hits = hits("brother#0", "seattle#0", "pearl#1", "other#0", "pearl#0");
        List<Integer> moved = GraphRetriever.pairSecond(MODEL, hits, order(5), Set.of(BROTHER), 5, "");
        assertThat(moved).containsExactly(0, 2, 1, 3, 4);
    }

    @Test
    void amongLinkedDocumentsTheOneWithWhatTheQuestionAsksBeyondTheFirstWins() {
        // "Green" mentions two titles: Virgin Records (its label) and Steve Hillage (its performer). The question asks
        // for a spouse: only the Steve Hillage document has that word, which the first document does not.
        GraphModel model = GraphModel.of(new GraphSnapshot(1,
                List.of(node("green"), node("virgin records"), node("steve hillage")),
                List.of(
                        mention("green", "green#0", "green", true),
                        mention("virgin records", "green#0", "green", false),
                        mention("steve hillage", "green#0", "green", false),
                        mention("virgin records", "virgin#0", "virgin", true),
                        mention("steve hillage", "steve#0", "steve", true)),
                List.of()));
        List<SearchHit> hits = List.of(
                hit("green#0", "Green", "Green is an album by Steve Hillage, released on Virgin Records."),
                hit("x#0", "Greenery", "Greenery is a colour of the year."),
                hit("virgin#0", "Virgin Records", "Virgin Records is a British record label founded by Richard Branson."),
                hit("steve#0", "Steve Hillage", "Steve Hillage is an English guitarist; his spouse is Miquette Giraudy."));
        int green = model.byKey.get("green");
        assertThat(documents(hits, GraphRetriever.pairSecond(model, hits, order(4), Set.of(green), 4,
                "Who is the spouse of the Green performer?"))).containsExactly("green", "steve", "x", "virgin");
        // With nothing asked beyond the first document, the first linked document in ranking order wins.
        assertThat(documents(hits, GraphRetriever.pairSecond(model, hits, order(4), Set.of(green), 4, "Green album")))
                .containsExactly("green", "virgin", "x", "steve");
    }

    private static SearchHit hit(String chunk, String title, String text) {
        return new SearchHit(chunk.substring(0, chunk.indexOf('#')), chunk, 1f, text, "", title, List.of(), Map.of());
    }

    private static List<Integer> order(int n) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) order.add(i);
        return order;
    }

    private static List<SearchHit> hits(String... chunks) {
        List<SearchHit> hits = new ArrayList<>();
        for (String c : chunks) hits.add(new SearchHit(c.substring(0, c.indexOf('#')), c, 1f, c, "", "", List.of(), Map.of()));
        return hits;
    }

    private static List<String> documents(List<SearchHit> hits, List<Integer> order) {
        List<String> docs = new ArrayList<>();
        for (int i : order) if (!docs.contains(hits.get(i).documentId())) docs.add(hits.get(i).documentId());
        return docs;
    }

    private static GraphSnapshot.Node node(String key) {
        return new GraphSnapshot.Node("e-" + key, key, key);
    }

    private static GraphSnapshot.MentionRow mention(String entity, String chunk, String document, boolean title) {
        return new GraphSnapshot.MentionRow("e-" + entity, chunk, document, 1, title);
    }
}
