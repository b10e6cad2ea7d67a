package io.keel.ingest.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.document.Block;
import io.keel.core.document.Document;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Lines corpora, one document per line: {@code {"id" | "_id", "title"?, "text" | "contents", "metadata"?}}
 * (the BEIR layout loads as is). The record id is the document id, the source is {@code path#id} and the content hash
 * covers the line. Blank lines are ignored; a line that is not such a record, or repeats an id seen earlier in the
 * file, is rejected with its line number and parsing goes on. Lines are read one at a time, so a corpus of any size
 * streams.
 */
public final class JsonlParser implements DocumentParser {
    public static final String MEDIA_TYPE = "application/x-ndjson";

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Set<String> extensions() {
        return Set.of("jsonl", "ndjson");
    }

    @Override
    public void parse(SourceFile file, DocumentSink sink) throws IOException {
        Instant modified = file.modified();
        Map<String, Integer> firstLine = new HashMap<>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file.path()), decoder))) {
            long bytesRead = 0;
            int lineNumber = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNumber++;
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                bytesRead += bytes.length + 1;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                String location = file.relativePath() + ":" + lineNumber;
                try {
                    Record record = record(line);
                    Integer earlier = firstLine.putIfAbsent(record.id(), lineNumber);
                    if (earlier != null) {
                        sink.rejected(location, "duplicate id '" + record.id() + "', first used on line " + earlier);
                        continue;
                    }
                    String hash = ContentHash.sha256(bytes);
                    if (sink.wants(record.id(), hash)) sink.accept(document(file, record, hash, modified));
                } catch (InvalidRecordException e) {
                    sink.rejected(location, e.getMessage());
                }
                sink.position(bytesRead);
            }
        }
    }

    private record Record(String id, String title, String text, Map<String, String> metadata) {
    }

    private Record record(String line) throws InvalidRecordException {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidRecordException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw new InvalidRecordException("expected a JSON object");
        JsonNode id = node.hasNonNull("id") ? node.get("id") : node.get("_id");
        if (id == null || !id.isValueNode() || id.isNull() || id.asText().isBlank()) {
            throw new InvalidRecordException("missing \"id\" (or \"_id\")");
        }
        JsonNode text = node.hasNonNull("text") ? node.get("text") : node.get("contents");
        if (text != null && !text.isNull() && !text.isTextual()) throw new InvalidRecordException("\"text\" must be a string");
        JsonNode title = node.get("title");
        if (title != null && !title.isNull() && !title.isTextual()) throw new InvalidRecordException("\"title\" must be a string");
        String titleText = title == null || title.isNull() ? "" : title.asText();
        String bodyText = text == null || text.isNull() ? "" : text.asText();
        if (titleText.isBlank() && bodyText.isBlank()) throw new InvalidRecordException("record has neither \"title\" nor \"text\"");
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = node.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) throw new InvalidRecordException("\"metadata\" must be an object");
            meta.properties().forEach(e -> {
                JsonNode v = e.getValue();
                if (!v.isNull()) metadata.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            });
        }
        return new Record(id.asText().strip(), titleText.strip(), bodyText, metadata);
    }

    private static Document document(SourceFile file, Record record, String hash, Instant modified) {
        List<Block> blocks = PlainTextParser.paragraphs(record.text());
        if (blocks.isEmpty()) blocks = List.of(Block.paragraph(Texts.normalize(record.title())));
        Map<String, String> metadata = new HashMap<>(file.defaults().metadata());
        metadata.putAll(record.metadata());
        String title = record.title().isEmpty() ? record.id() : record.title();
        return new Document(record.id(), title, file.relativePath() + "#" + record.id(), hash, modified, MEDIA_TYPE,
                metadata, file.defaults().tenant(), file.defaults().acl(), blocks);
    }

    private static final class InvalidRecordException extends Exception {
        InvalidRecordException(String message) {
            super(message, null, false, false);
        }
    }
}
