package io.keel.core.answer;

import io.keel.core.pipeline.RouteResponse;
import io.keel.core.spi.RequestRecord;

import java.util.List;
import java.util.Objects;

/** The result of one question through the query pipeline. */
public record Answer(String id, String text, String generator, List<Citation> citations, Usage usage,
                     Timings timings, Lineage lineage, Quality quality) implements RouteResponse<Answer> {
    /** The prefix of {@link #generator()} when a guard answered instead of the generator. */
    public static final String GUARD_PREFIX = "guard:";

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

    /** A guard's refusal in place of an answer; {@code guard} names the guard (recorded as the generator). */
    public static Answer refusal(String id, String text, String guard) {
        return new Answer(id, text, GUARD_PREFIX + guard, List.of(), null, null,
                Lineage.EMPTY.withGenerator(GUARD_PREFIX + guard, null, null, "none"));
    }

    @Override
    public String status() {
        return generator.startsWith(GUARD_PREFIX) ? "blocked" : "ok";
    }

    @Override
    public String guardedText() {
        return text;
    }

    @Override
    public Answer withGuardedText(String newText, boolean blocked) {
        return withText(newText);
    }

    @Override
    public void describe(RequestRecord.Builder record) {
        record.answer(text).citations(citations.stream().map(Citation::chunkId).toList()).quality(quality);
    }

    @Override
    public Answer withTimings(Timings t) {
        return new Answer(id, text, generator, citations, usage, t, lineage, quality);
    }

    public Answer withText(String newText) {
        return new Answer(id, newText, generator, citations, usage, timings, lineage, quality);
    }

    public Answer withQuality(Quality q) {
        return new Answer(id, text, generator, citations, usage, timings, lineage, q);
    }

    @Override
    public Answer withLineage(Lineage l) {
        return new Answer(id, text, generator, citations, usage, timings, l, quality);
    }
}
