package io.keel.routing.intent;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.keel.core.spi.Embedder;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Labelled example utterances: read from a routing file's lists or a CSV file ({@code text,category} header, as
 * Banking77 and CLINC150 exports have it), and embedded into {@link IntentClassifier.LabeledVector}s.
 */
public final class IntentExamples {
    /** One labelled utterance. */
    public record Example(String text, String label) {
    }

    private IntentExamples() {
    }

    /**
     * Reads a CSV file with a header row naming a {@code text} column and a {@code category} (or {@code label} or
     * {@code intent}) column.
     */
    public static List<Example> readCsv(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Example> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class).with(schema).readValues(in)) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                String text = row.get("text");
                String label = row.getOrDefault("category", row.getOrDefault("label", row.get("intent")));
                if (text == null || label == null) {
                    throw new IOException(file + ": needs a header with a 'text' and a 'category' (or 'label') column");
                }
                if (!text.isBlank()) out.add(new Example(text.strip(), label.strip()));
            }
        }
        return out;
    }

    /** Embeds every example in one {@link Embedder#embedAll} call. */
    public static List<IntentClassifier.LabeledVector> embed(List<Example> examples, Embedder embedder) {
        List<float[]> vectors = embedder.embedAll(examples.stream().map(Example::text).toList());
        List<IntentClassifier.LabeledVector> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) out.add(new IntentClassifier.LabeledVector(examples.get(i).label(), vectors.get(i)));
        return out;
    }
}
