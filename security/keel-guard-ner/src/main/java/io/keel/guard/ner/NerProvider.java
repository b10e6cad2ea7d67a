package io.keel.guard.ner;

import io.keel.guard.pii.PiiRecognizer;
import io.keel.guard.pii.RecognizerProvider;

import java.util.List;

/** Makes {@link NerRecognizer} available to guard policies as {@code pii.models: [nlp4j-ner]}. */
public final class NerProvider implements RecognizerProvider {
    @Override
    public String name() {
        return "nlp4j-ner";
    }

    @Override
    public List<PiiRecognizer> recognizers() {
        return List.of(NerRecognizer.shared());
    }
}
