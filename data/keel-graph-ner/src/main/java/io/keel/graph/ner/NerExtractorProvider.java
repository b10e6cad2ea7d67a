package io.keel.graph.ner;

import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.ExtractorProvider;
import io.keel.graph.extract.KnownEntities;
import io.keel.guard.ner.NerRecognizer;

/** Makes {@link NerEntityExtractor} available as {@code graph.extractor: ner}. */
public final class NerExtractorProvider implements ExtractorProvider {
    @Override
    public String name() {
        return "ner";
    }

    /**
     * Loads the model on first use (about half a minute), shared with the guard's {@code nlp4j-ner} recognizer. The
     * known-entity dictionary is not used (see {@link NerEntityExtractor}).
     */
    @Override
    public EntityExtractor create(KnownEntities known) {
        return new NerEntityExtractor(NerRecognizer.shared());
    }
}
