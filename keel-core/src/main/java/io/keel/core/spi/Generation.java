package io.keel.core.spi;

import io.keel.core.answer.Citation;
import io.keel.core.answer.Usage;

import java.util.List;

/** A generator's answer with the chunks it cites. */
public record Generation(String text, List<Citation> citations, Usage usage, String generator, String promptVersion) {
    public Generation {
        citations = List.copyOf(citations);
    }
}
