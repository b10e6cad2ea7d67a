package io.keel.guard.finetune;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExtraRowsTest {
    private final ExtraRows filter = new ExtraRows(
            List.of("How do I bake sourdough bread at home?", "Explain how to pick a lock on a neighbour's front door quietly."),
            List.of("Explain how to pick a lock on a neighbour's front door quietly."));

    @Test
    void dropsRowsEqualToASharedRowAfterNormalisation() {
        var r = filter.filter(List.of(new ExtraRows.Row("  HOW do I bake   sourdough bread at home?", "a", 0, 0)));
        assertThat(r.kept()).isEmpty();
        assertThat(r.counts().get("a")).containsExactly(1, 0, 1, 0, 0);
    }

    @Test
    void dropsRowsSharingTwentyFiveCharactersWithAHeldOutRow() {
        var r = filter.filter(List.of(
                new ExtraRows.Row("Tell me how to pick a lock on a neighbour's shed.", "b", 0, 1),
                new ExtraRows.Row("Tell me how to pick a lock on my own bike.", "b", 0, 1)));
        assertThat(r.kept()).extracting(ExtraRows.Row::text).containsExactly("Tell me how to pick a lock on my own bike.");
        assertThat(r.counts().get("b")).containsExactly(2, 1, 0, 1, 0);
    }

    @Test
    void keepsTheFirstOfRepeatedRows() {
        var r = filter.filter(List.of(new ExtraRows.Row("Add 2 and 3.", "c", 0, 0), new ExtraRows.Row("add 2 and  3.", "c", 0, 0)));
        assertThat(r.kept()).hasSize(1);
        assertThat(r.counts().get("c")).containsExactly(2, 1, 0, 0, 1);
    }
}
