package io.keel.guard.ner;

import edu.emory.mathcs.nlp.component.template.node.NLPNode;
import edu.emory.mathcs.nlp.decode.NLPDecoder;
import io.keel.core.guard.Finding;
import io.keel.guard.pii.ContextWords;
import io.keel.guard.pii.PiiRecognizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names of people ({@code PERSON}), places ({@code LOCATION}: countries, cities, states, facilities, natural
 * locations) and organisations ({@code ORGANIZATION}), and nationalities or religious and political groups
 * ({@code NRP}), found by Emory NLP4J's English named-entity model (OntoNotes categories, Apache 2.0, shipped in the
 * {@code nlp4j-english} Maven artifact) after its part-of-speech tagger. The types are Presidio's names for the same
 * spaCy/OntoNotes labels.
 *
 * <p>The model and its lexica (word embeddings, Brown clusters, gazetteers) take about half a minute and 1.5 GB of
 * heap to load, so one instance is shared ({@link #shared()}). Tagging costs about a millisecond per sentence. The
 * model gives labels, not probabilities: every name scores {@value #SCORE}, Presidio's score for spaCy names.
 * Thread-safe: calls are serialised, because the decoder's components are not documented as thread-safe.
 */
public final class NerRecognizer implements PiiRecognizer {
    public static final double SCORE = 0.85;
    static final String CONFIG = "/io/keel/guard/ner/nlp4j-ner.xml";
    private static final Map<String, String> TYPES = Map.of(
            "PERSON", "PERSON",
            "GPE", "LOCATION", "LOC", "LOCATION", "FAC", "LOCATION",
            "ORG", "ORGANIZATION",
            "NORP", "NRP");

    private final NLPDecoder decoder;

    private NerRecognizer() {
        try (InputStream config = NerRecognizer.class.getResourceAsStream(CONFIG)) {
            if (config == null) throw new IllegalStateException("missing " + CONFIG);
            this.decoder = new NLPDecoder(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CONFIG, e);
        }
    }

    private static final class Holder {
        static final NerRecognizer INSTANCE = new NerRecognizer();
    }

    /** The one instance of this JVM, loaded on first use. */
    public static NerRecognizer shared() {
        return Holder.INSTANCE;
    }

    @Override
    public String name() {
        return "nlp4j-ner";
    }

    @Override
    public Set<String> entityTypes() {
        return Set.of("PERSON", "LOCATION", "ORGANIZATION", "NRP");
    }

    @Override
    public ContextWords context() {
        return ContextWords.NONE;
    }

    @Override
    public boolean statistical() {
        return true;
    }

    @Override
    public List<Finding> recognize(String text) {
        List<Finding> out = new ArrayList<>();
        for (List<Span> sentence : sentences(text)) {
            for (Span s : sentence) {
                String type = TYPES.get(s.label());
                if (type != null) out.add(new Finding(type, s.start(), s.end(), SCORE, name()));
            }
        }
        return out;
    }

    /**
     * The model's named entities in each sentence of {@code text} as it splits them, with their OntoNotes labels
     * ({@code PERSON}, {@code ORG}, {@code GPE}, {@code WORK_OF_ART}, {@code DATE}…), in order; offsets index {@code text}.
     */
    public List<List<Span>> sentences(String text) {
        if (text.isBlank()) return List.of();
        List<NLPNode[]> sentences;
        synchronized (decoder) {
            try {
                sentences = decoder.decodeDocument(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<List<Span>> out = new ArrayList<>(sentences.size());
        for (NLPNode[] sentence : sentences) out.add(spans(sentence));
        return out;
    }

    /** A named entity: its OntoNotes label and where it is, {@code start} inclusive and {@code end} exclusive. */
    public record Span(String label, int start, int end) {
    }

    /**
     * Entities from BILOU tags (B-egin, I-nside, L-ast, U-nit, O-utside); node 0 is the artificial root. A title
     * before a name stays outside the span ("Mr. <PERSON>"), as in spaCy's and Stanza's spans.
     */
    private static List<Span> spans(NLPNode[] nodes) {
        List<Span> out = new ArrayList<>();
        int start = -1;
        String label = null;
        for (int i = 1; i < nodes.length; i++) {
            String tag = nodes[i].getNamedEntityTag();
            if (tag == null || tag.length() < 3 || tag.charAt(1) != '-') {
                start = -1;
                continue;
            }
            char position = tag.charAt(0);
            String entity = tag.substring(2);
            switch (position) {
                case 'U' -> add(out, entity, nodes[i].getStartOffset(), nodes[i].getEndOffset());
                case 'B' -> {
                    start = nodes[i].getStartOffset();
                    label = entity;
                }
                case 'L' -> {
                    if (start >= 0 && entity.equals(label)) add(out, entity, start, nodes[i].getEndOffset());
                    start = -1;
                }
                default -> {
                    if (start >= 0 && !entity.equals(label)) start = -1;   // an I- of another type breaks the span
                }
            }
        }
        return out;
    }

    private static void add(List<Span> out, String label, int start, int end) {
        if (end > start) out.add(new Span(label, start, end));
    }
}
