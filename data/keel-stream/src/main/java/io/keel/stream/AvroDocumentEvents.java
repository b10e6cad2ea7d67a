package io.keel.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Avro form of {@link DocumentEvent}: the schema {@code io/keel/stream/document-event.avsc} (fields and rules as in
 * the JSON form), sent in Avro's <em>single-object encoding</em> — two marker bytes {@code C3 01}, the writer schema's
 * 8-byte CRC-64-AVRO fingerprint, then the binary record. The encoding names its schema in every message, so no schema
 * registry is needed, and the marker tells Avro from JSON (which never starts with {@code C3}): one topic may carry
 * both. A decoded record is checked by exactly the rules of {@link DocumentEvents#parse(com.fasterxml.jackson.databind.JsonNode)},
 * so both forms give the same events and the same error messages. Thread-safe.
 */
public final class AvroDocumentEvents {
    /** The schema every Keel release reads, as a classpath resource. */
    public static final String SCHEMA_RESOURCE = "/io/keel/stream/document-event.avsc";
    public static final Schema SCHEMA = load();

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final BinaryMessageEncoder<GenericRecord> ENCODER = new BinaryMessageEncoder<>(GenericData.get(), SCHEMA);
    private static final BinaryMessageDecoder<GenericRecord> DECODER = new BinaryMessageDecoder<>(GenericData.get(), SCHEMA);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroDocumentEvents() {
    }

    /** Whether {@code bytes} start with the single-object encoding marker. */
    public static boolean isAvro(byte[] bytes) {
        return bytes != null && bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    /** The event in {@code bytes}: Avro single-object encoding when it starts with the marker, else JSON. */
    public static DocumentEvent parseAny(byte[] bytes) {
        return isAvro(bytes) ? parse(bytes) : DocumentEvents.parse(bytes);
    }

    /**
     * Decodes and validates one single-object-encoded event.
     *
     * @throws InvalidEventException when the bytes are not such a message, were written with an unknown schema, or
     *                               the record breaks an event rule
     */
    public static DocumentEvent parse(byte[] bytes) {
        GenericRecord record;
        try {
            record = DECODER.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new InvalidEventException("written with an Avro schema Keel does not know (fingerprint in the message "
                    + "header); write events with " + SCHEMA_RESOURCE + " (fingerprint " + fingerprint() + ")", e);
        } catch (BadHeaderException e) {
            throw new InvalidEventException("not an Avro single-object message: " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new InvalidEventException("a broken Avro record: " + e.getMessage(), e);
        }
        return DocumentEvents.parse(toNode(record));
    }

    /** {@code event} in single-object encoding, readable by {@link #parse(byte[])}. */
    public static byte[] toBytes(DocumentEvent event) {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("op", new GenericData.EnumSymbol(SCHEMA.getField("op").schema(), event.op().wireName()));
        r.put("id", event.id());
        r.put("collection", event.collection());
        r.put("version", event.version());
        r.put("event_time", event.eventTime() == null ? null : event.eventTime().toEpochMilli());
        r.put("content", event.content());
        r.put("url", event.url());
        r.put("path", event.path());
        r.put("title", event.title());
        r.put("media_type", event.mediaType());
        r.put("metadata", event.isDelete() || event.metadata().isEmpty() ? null : event.metadata());
        r.put("tenant", event.tenant());
        r.put("acl", event.isDelete() || event.acl().isEmpty() ? null : event.acl());
        try {
            return ENCODER.encode(r).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's CRC-64-AVRO fingerprint as 16 hex digits, as it appears (little-endian) in every message. */
    public static String fingerprint() {
        return HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(SchemaNormalization.parsingFingerprint64(SCHEMA)).array());
    }

    /** The record as the JSON object it stands for; absent (null) fields are left out, as in JSON. */
    private static ObjectNode toNode(GenericRecord record) {
        ObjectNode o = NODES.objectNode();
        for (Schema.Field f : record.getSchema().getFields()) {
            Object v = record.get(f.name());
            if (v == null) continue;
            switch (v) {
                case Long l -> o.put(f.name(), l);
                case Map<?, ?> m -> {
                    ObjectNode n = o.putObject(f.name());
                    m.forEach((k, val) -> n.put(k.toString(), val == null ? null : val.toString()));
                }
                case List<?> list -> {
                    ArrayNode a = o.putArray(f.name());
                    list.forEach(item -> a.add(item == null ? null : item.toString()));
                }
                default -> o.put(f.name(), v.toString());   // strings (Utf8) and the op enum symbol
            }
        }
        return o;
    }

    private static Schema load() {
        try (InputStream in = AvroDocumentEvents.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing " + SCHEMA_RESOURCE);
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
