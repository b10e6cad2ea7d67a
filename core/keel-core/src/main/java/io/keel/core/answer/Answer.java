package io.keel.core.answer;

import java.util.List;
import java.util.Objects;

/** The result of one question through the query pipeline. */
public record Answer(String id, String text, String generator, List<Citation> citations, Usage usage,
                     Timings timings, Lineage lineage, Quality quality) {
    public Answer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        citations = List.copyOf(citations);
        usage = Objects.requireNonNullElse(usage, Usage.ZERO);
        timings = Objects.requireNonNullElse(timings, Timings.EMPTY);
        quality = Objects.requireNonNullElse(quality, Quality.NONE);
    }

    public Answer(String id, String text, String generator, List<Citation> citations, Usage usage, Timings timings, Lineage lineage) {
        this(id, text, generator, citations, usage, timings, lineage, Quality.NONE);
    }

    public Answer withTimings(Timings t) {
        return new Answer(id, text, generator, citations, usage, t, lineage, quality);
    }

    public Answer withText(String newText) {
        return new Answer(id, newText, generator, citations, usage, timings, lineage, quality);
    }

    public Answer withQuality(Quality q) {
        return new Answer(id, text, generator, citations, usage, timings, lineage, q);
    }

    public Answer withLineage(Lineage l) {
        return new Answer(id, text, generator, citations, usage, timings, l, quality);
    }
}
