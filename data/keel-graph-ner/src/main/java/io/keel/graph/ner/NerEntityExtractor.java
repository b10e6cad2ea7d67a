package io.keel.graph.ner;

import io.keel.core.text.Words;
import io.keel.graph.extract.EntityExtractor;
import io.keel.graph.extract.PatternEntityExtractor;
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
 * art, events, products, laws and languages; dates, times and quantities are not entities of the graph. The corpus's
 * own multi-word titles ({@link PatternEntityExtractor#known}) are added first, however they are cased, so a title
 * the model misses or cuts ("person-centered therapy") is still a node. Costs the model's tagging, about a
 * millisecond per sentence, serialised: the model is one instance per JVM, shared with the guard's recognizer.
 */
public final class NerEntityExtractor implements EntityExtractor {
    /** OntoNotes labels that name something; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL and CARDINAL do not. */
    static final Set<String> NAMES = Set.of("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
            "LAW", "LANGUAGE");

    private final NerRecognizer model;
    private final PatternEntityExtractor titles;

    /** @param titles the known-title pass added to the model's names, or null for the model's names alone */
    public NerEntityExtractor(NerRecognizer model, PatternEntityExtractor titles) {
        this.model = Objects.requireNonNull(model, "model");
        this.titles = titles;
    }

    @Override
    public List<List<Surface>> extract(String text) {
        List<List<Surface>> out = new ArrayList<>();
        for (String sentence : Words.sentencePieces(text)) {
            if (sentence.isBlank()) continue;
            Map<String, Surface> found = new LinkedHashMap<>();
            if (titles != null) titles.known(sentence).forEach(s -> found.putIfAbsent(s.key(), s));
            for (List<NerRecognizer.Span> part : model.sentences(sentence)) {
                for (NerRecognizer.Span span : part) {
                    if (!NAMES.contains(span.label())) continue;
                    Surface s = Surface.of(sentence.substring(span.start(), span.end()));
                    if (s.isName() && !insideATitle(s.key(), found)) found.putIfAbsent(s.key(), s);
                }
            }
            out.add(List.copyOf(found.values()));
        }
        return out;
    }

    /** Whether {@code key} is some words of a title already found ("Carl" of "Carl Rogers"): the title is the mention. */
    private static boolean insideATitle(String key, Map<String, Surface> found) {
        String words = " " + key + " ";
        for (String k : found.keySet()) if (!k.equals(key) && (" " + k + " ").contains(words)) return true;
        return false;
    }
}
