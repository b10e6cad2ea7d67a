package io.keel.core.spi;

import io.keel.core.answer.Citation;
import io.keel.core.answer.Usage;

import java.util.List;

/**
 * A generator's answer with the chunks it cites.
 *
 * @param generator     {@code extractive} or the name of the model that answered
 * @param modelVersion  the registry version of that model, or null
 * @param promptId      the prompt rendered, or null
 * @param promptVersion the prompt's version, or {@code "none"}
 */
public record Generation(String text, List<Citation> citations, Usage usage, String generator, String modelVersion,
                         String promptId, String promptVersion) {
    public Generation {
        citations = List.copyOf(citations);
    }

    /** A generation with no registry version and no prompt id. */
    public Generation(String text, List<Citation> citations, Usage usage, String generator, String promptVersion) {
        this(text, citations, usage, generator, null, null, promptVersion);
    }
}
