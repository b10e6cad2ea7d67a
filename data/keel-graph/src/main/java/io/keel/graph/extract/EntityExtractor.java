package io.keel.graph.extract;

import java.util.List;

/**
 * Finds entity mentions in text, sentence by sentence. The default needs no model ({@link PatternEntityExtractor});
 * others may run a NER model.
 */
public interface EntityExtractor {

    /** The entities of each sentence of {@code text}, in order; a sentence without any gives an empty list. */
    List<List<Surface>> extract(String text);

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
