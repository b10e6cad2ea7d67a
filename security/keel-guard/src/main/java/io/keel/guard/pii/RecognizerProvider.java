package io.keel.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Recognizers from another module, found with {@link ServiceLoader} and switched on by name in a policy's
 * {@code pii.models}. Model-backed recognizers live in their own modules because their models are large (the
 * {@code keel-guard-ner} module's named-entity model needs about 1.5 GB of heap and half a minute to load); a
 * deployment that does not name them never loads them.
 */
public interface RecognizerProvider {
    /** The name a policy uses, e.g. {@code nlp4j-ner}. */
    String name();

    /** The recognizers, loading whatever model they need; called once for each guard that names this provider. */
    List<PiiRecognizer> recognizers();

    /** The providers on the class path, by name. */
    static Map<String, RecognizerProvider> available() {
        Map<String, RecognizerProvider> out = new TreeMap<>();
        for (RecognizerProvider p : ServiceLoader.load(RecognizerProvider.class)) out.putIfAbsent(p.name(), p);
        return out;
    }

    /**
     * The recognizers of the named providers.
     *
     * @throws IllegalArgumentException naming a provider that is not on the class path, and the ones that are
     */
    static List<PiiRecognizer> load(List<String> names) {
        if (names.isEmpty()) return List.of();
        Map<String, RecognizerProvider> available = available();
        List<PiiRecognizer> out = new ArrayList<>();
        for (String name : names) {
            RecognizerProvider p = available.get(name);
            if (p == null) {
                throw new IllegalArgumentException("pii.models names '" + name + "', but no recognizer provider of that name is on "
                        + "the class path (available: " + (available.isEmpty() ? "none" : String.join(", ", available.keySet()))
                        + "); the named-entity model comes with the keel-guard-ner module");
            }
            out.addAll(p.recognizers());
        }
        return List.copyOf(out);
    }
}
