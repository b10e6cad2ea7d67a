package io.keel.graph.extract;

import java.util.List;

/**
 * Finds entity mentions in text, sentence by sentence. The default needs no model ({@link PatternEntityExtractor});
 * others may run a NER model.
 */
public interface EntityExtractor {

    /** The entities of each sentence of {@code text}, in order; a sentence without any gives an empty list. */
    List<List<Surface>> extract(String text);

    /**
     * How many chunks this extractor would rather see {@link #prepare prepared} together (a model call per batch);
     * 1, the default, for an extractor that gains nothing from it and is asked chunk by chunk.
     */
    default int batchSize() {
        return 1;
    }

    /**
     * Announces the texts of chunks {@link #extract} is about to be asked for, all from documents of {@code tenant}
     * (whom a model call is attributed to), so that an extractor calling a model can ask about several at once. Never
     * throws for a text it cannot extract: {@link #extract} answers for it anyway.
     */
    default void prepare(String tenant, List<String> texts) {
    }

    /** A mention as written ({@code name}) and the key it normalises to. */
    record Surface(String key, String name) {
        public static Surface of(String name) {
            return new Surface(EntityNames.key(name), name.strip());
        }

        /** Whether the key can name a node: two characters at least, and not a function word on its own ("The", "He"). */
        public boolean isName() {
            return key.length() >= 2 && !Tokens.STOP.contains(key);
        }
    }
}
