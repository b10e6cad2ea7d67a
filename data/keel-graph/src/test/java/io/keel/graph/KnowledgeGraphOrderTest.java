package io.keel.graph;

import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.graph.spi.GraphSnapshot;
import io.keel.graph.sql.SqlGraphStore;
import io.keel.store.sql.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The graph a batch of documents gets at ingestion does not depend on their order: a document that names another's
 * title finds it as an entity even when it was written first ("born in Young, New South Wales", where only the
 * known-entity dictionary can see one name across the comma).
 */
class KnowledgeGraphOrderTest {
    @TempDir
    Path dir;

    @Test
    void aTitleWrittenLaterInTheSameCommitIsFoundInTheDocumentsBeforeIt() {
        Set<String> mentionedByFirst = firstDocumentsKeys(List.of("kerry", "young"));
        assertThat(mentionedByFirst).contains("young new south wales", "kerry saxby");
        Set<String> thenTheOtherOrder = firstDocumentsKeys(List.of("young", "kerry"));
        assertThat(mentionedByFirst).isEqualTo(thenTheOtherOrder);
    }

    private static Document document(String id, String title) {
        return new Document(id, title, id + ".txt", "h-" + id, java.time.Instant.EPOCH, "text/plain", java.util.Map.of(), "default",
                List.of(), List.of());
    }

    /** Writes the two documents in {@code order}, commits, and gives the entity keys Kerry Saxby's chunk mentions. */
    private Set<String> firstDocumentsKeys(List<String> order) {
        Path file = dir.resolve("graph-" + String.join("-", order) + ".db");
        try (Database db = Database.sqlite(file); KnowledgeGraph graph = new KnowledgeGraph(new SqlGraphStore(db), GraphSettings.defaults())) {
            for (String which : order) {
                if (which.equals("kerry")) {
                    Document d = document("kerry", "Kerry Saxby");
                    graph.upsert("c", d, List.of(new Chunk("kerry#0", "kerry", 0,
                            "Kerry Saxby is a retired Australian race walker. She was born in Young, New South Wales.", List.of(), 20)));
                } else {
                    Document d = document("young", "Young, New South Wales");
                    graph.upsert("c", d, List.of(new Chunk("young#0", "young", 0,
                            "Young is a town in the South West Slopes region of New South Wales.", List.of(), 16)));
                }
            }
            graph.commit("c");
            GraphSnapshot snapshot = graph.store().snapshot("c");
            Set<String> ids = snapshot.mentions().stream().filter(m -> m.documentId().equals("kerry"))
                    .map(GraphSnapshot.MentionRow::entityId).collect(Collectors.toSet());
            return snapshot.nodes().stream().filter(n -> ids.contains(n.id())).map(GraphSnapshot.Node::key).collect(Collectors.toSet());
        }
    }
}
