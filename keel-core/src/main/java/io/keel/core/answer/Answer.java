package io.keel.core.answer;

import java.util.List;
import java.util.Objects;

/** The result of one question through the query pipeline. */
public record Answer(String id, String text, String generator, List<Citation> citations, Usage usage,
                     Timings timings, Lineage lineage) {
    public Answer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        citations = List.copyOf(citations);
        usage = Objects.requireNonNullElse(usage, Usage.ZERO);
        timings = Objects.requireNonNullElse(timings, Timings.EMPTY);
    }

    public Answer withTimings(Timings t) {
        return new Answer(id, text, generator, citations, usage, t, lineage);
    }

    public Answer withText(String newText) {
        return new Answer(id, newText, generator, citations, usage, timings, lineage);
    }
}
