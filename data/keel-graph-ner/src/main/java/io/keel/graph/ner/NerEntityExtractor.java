package io.keel.graph.ner;

import io.keel.core.text.Words;
import io.keel.graph.extract.EntityExtractor;
import io.keel.guard.ner.NerRecognizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Entities from Emory NLP4J's English named-entity model (OntoNotes labels), per sentence ({@code core.text.Words}
 * sentence boundaries, as the pattern extractor): people, organisations, places, nationalities and groups, works of
 * art, events, products, laws and languages; dates, times and quantities are not entities of the graph. The model's
 * names alone: adding the corpus's titles or the pattern extractor's capitalised spans to them measured worse on
 * musique-100 (docs/knowledge-graph.md). Costs the model's tagging, about 6 ms of CPU per passage, serialised: the
 * model is one instance per JVM, shared with the guard's recognizer.
 */
public final class NerEntityExtractor implements EntityExtractor {
    /** OntoNotes labels that name something; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL and CARDINAL do not. */
    static final Set<String> NAMES = Set.of("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
            "LAW", "LANGUAGE");

    private final NerRecognizer model;

    public NerEntityExtractor(NerRecognizer model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    @Override
    public List<List<Surface>> extract(String text) {
        List<List<Surface>> out = new ArrayList<>();
        for (String sentence : Words.sentencePieces(text)) {
            if (sentence.isBlank()) continue;
            Map<String, Surface> found = new LinkedHashMap<>();
            for (List<NerRecognizer.Span> part : model.sentences(sentence)) {
                for (NerRecognizer.Span span : part) {
                    if (!NAMES.contains(span.label())) continue;
                    Surface s = Surface.of(sentence.substring(span.start(), span.end()));
                    if (s.isName()) found.putIfAbsent(s.key(), s);
                }
            }
            out.add(List.copyOf(found.values()));
        }
        return out;
    }
}
