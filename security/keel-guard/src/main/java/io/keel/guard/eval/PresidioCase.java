package io.keel.guard.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One case from Presidio's recognizer tests: a text, the entity type under test, how many findings the recognizer
 * must report and (usually) their exact spans.
 *
 * @param spans     expected {@code [start, end)} pairs; empty when the case checks only the count
 * @param leniency  phone-matching leniency the case was written for, or -1
 * @param modelOnly true when the case exercises a statistical NER model rather than a rule
 */
public record PresidioCase(String text, String entityType, int expectedCount, List<int[]> spans, int leniency,
                           String source, boolean modelOnly) {
    private static final Set<String> MODEL_SOURCES = Set.of("test_spacy_recognizer.py", "test_stanza_recognizer.py",
            "test_transformers_recognizer.py", "test_gliner_recognizer.py", "test_huggingface_ner_recognizer.py");
    private static final List<String> TEXT_FIELDS = List.of("text", "iban", "number", "id_number", "pesel", "gstin", "pan");

    /** Type given to cases that test Presidio's generic machinery (deny lists, custom patterns) rather than an entity. */
    public static final String GENERIC = "(generic)";
    /**
     * Type given to cases of Presidio's tests of a recognizer's helper functions (value sanitising, PAN-format
     * checks): their inputs and expectations are not recognition results (a bare PAN "expected" as a GSTIN).
     */
    public static final String HELPER = "(helper function)";
    private static final Set<String> HELPER_TESTS = Set.of("test_sanitize_value", "test_validate_pan_format");

    /** Reads every case; cases without an entity type get type {@link #GENERIC}. */
    public static List<PresidioCase> load(Path jsonl) {
        ObjectMapper json = new ObjectMapper();
        List<PresidioCase> cases = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl)) {
                if (line.isBlank()) continue;
                cases.add(of(json.readTree(line)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Presidio cases from " + jsonl, e);
        }
        return cases;
    }

    static PresidioCase of(JsonNode n) {
        String text = null;
        for (String f : TEXT_FIELDS) {
            if (n.hasNonNull(f) && n.get(f).isTextual()) {
                text = n.get(f).asText();
                break;
            }
        }
        String source = n.path("source_file").asText();
        String type = GENERIC;
        JsonNode entities = n.get("entities");
        if (HELPER_TESTS.contains(n.path("test_function").asText())) type = HELPER;
        else if (entities != null && entities.isArray() && !entities.isEmpty()) {
            // NER tests list every type the model may return and say which one the case checks in entity_num
            int which = n.path("entity_num").asInt(0);
            type = entities.get(which >= 0 && which < entities.size() ? which : 0).asText();
        }
        else if (source.equals("test_phone_recognizer.py")) type = "PHONE_NUMBER";
        List<int[]> spans = new ArrayList<>();
        for (String f : List.of("expected_positions", "expected_res")) {
            JsonNode arr = n.get(f);
            if (arr != null && arr.isArray()) arr.forEach(p -> spans.add(new int[]{p.get(0).asInt(), p.get(1).asInt()}));
        }
        if (spans.isEmpty() && n.has("expected_start") && n.has("expected_end")) {
            spans.add(new int[]{n.get("expected_start").asInt(), n.get("expected_end").asInt()});
        }
        int count = n.has("expected_len") ? n.get("expected_len").asInt() : spans.size();
        if (!n.has("expected_len") && n.path("expected").isBoolean() && text != null) {
            // validator cases: the whole text is one valid identifier, or not one
            count = n.get("expected").asBoolean() ? 1 : 0;
            if (count == 1) spans.add(new int[]{0, text.length()});
        }
        return new PresidioCase(text == null ? "" : text, type, count, spans, n.path("leniency").asInt(-1), source,
                MODEL_SOURCES.contains(source));
    }
}
