package io.keel.stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The Protobuf form of {@link DocumentEvent}: the message in {@code io/keel/stream/document_event.proto}, read by field
 * number with protobuf-java's wire codec (no generated classes, no schema registry). Two framings are read:
 * <ul>
 *   <li><b>raw</b> — the bare message, for records whose {@code content-type} header says Protobuf;</li>
 *   <li><b>Confluent</b> — what Confluent's {@code KafkaProtobufSerializer} writes: a zero byte, the 4-byte schema id,
 *       the message indexes, then the message. Keel does not ask the registry for the schema: it reads the fields by
 *       the numbers of Keel's own file, so register that file (or one with the same field numbers).</li>
 * </ul>
 * A decoded message is checked by exactly the rules of {@link DocumentEvents#parse(com.fasterxml.jackson.databind.JsonNode)},
 * so every form gives the same events and the same error messages. Thread-safe.
 */
public final class ProtobufDocumentEvents {
    /** The schema, as a classpath resource. */
    public static final String SCHEMA_RESOURCE = "/io/keel/stream/document_event.proto";

    private static final byte CONFLUENT_MAGIC = 0;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] STRING_FIELDS = {null, "op", "id", "collection", null, null, "content", "url", "path",
            "title", "media_type", null, "tenant", null};

    private ProtobufDocumentEvents() {
    }

    /** Whether {@code bytes} start as Confluent's serializers frame a record (a zero byte; JSON and Avro never do). */
    public static boolean isConfluentFramed(byte[] bytes) {
        return bytes != null && bytes.length >= 5 && bytes[0] == CONFLUENT_MAGIC;
    }

    /**
     * Decodes and validates one event, Confluent-framed when it starts with the zero byte, else raw.
     *
     * @throws InvalidEventException when the bytes are not such a message or the message breaks an event rule
     */
    public static DocumentEvent parse(byte[] bytes) {
        ObjectNode event;
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            if (isConfluentFramed(bytes)) skipConfluentHeader(in, bytes);
            event = read(in);
        } catch (IOException | RuntimeException e) {
            throw new InvalidEventException("not a Keel Protobuf event (" + SCHEMA_RESOURCE + "): " + e.getMessage(), e);
        }
        return DocumentEvents.parse(event);
    }

    /** {@code event} as a bare message, readable by {@link #parse(byte[])}. */
    public static byte[] toBytes(DocumentEvent event) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256 + (event.content() == null ? 0 : event.content().length() * 2));
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buffer);
            out.writeString(1, event.op().wireName());
            out.writeString(2, event.id());
            if (event.collection() != null) out.writeString(3, event.collection());
            out.writeInt64(4, event.version());
            if (event.eventTime() != null) out.writeInt64(5, event.eventTime().toEpochMilli());
            string(out, 6, event.content());
            string(out, 7, event.url());
            string(out, 8, event.path());
            string(out, 9, event.title());
            string(out, 10, event.mediaType());
            if (!event.isDelete()) {
                for (Map.Entry<String, String> e : event.metadata().entrySet()) {
                    out.writeTag(11, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, e.getKey())
                            + CodedOutputStream.computeStringSize(2, e.getValue()));
                    out.writeString(1, e.getKey());
                    out.writeString(2, e.getValue());
                }
                string(out, 12, event.tenant());
                for (String principal : event.acl()) out.writeString(13, principal);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /** {@code event} framed as Confluent's serializer frames the first message type of schema {@code schemaId}. */
    public static byte[] toConfluentBytes(DocumentEvent event, int schemaId) {
        byte[] message = toBytes(event);
        // magic byte, big-endian schema id, message indexes [0] written as the single varint 0
        return ByteBuffer.allocate(6 + message.length).put(CONFLUENT_MAGIC).putInt(schemaId).put((byte) 0).put(message).array();
    }

    private static void string(CodedOutputStream out, int field, String value) throws IOException {
        if (value != null) out.writeString(field, value);
    }

    /** Skips the magic byte, the schema id and the message-index array (a count, then that many indexes, zig-zag). */
    private static void skipConfluentHeader(CodedInputStream in, byte[] bytes) throws IOException {
        in.skipRawBytes(5);
        int count = in.readSInt32();
        if (count < 0 || count > 64) throw new IOException("a Confluent header with " + count + " message indexes");
        for (int i = 0; i < count; i++) {
            if (in.readSInt32() != 0) {
                throw new IOException("the record's message is not the first type of its schema (schema id "
                        + ByteBuffer.wrap(bytes, 1, 4).getInt() + ")");
            }
        }
    }

    /** The message as the JSON object it stands for; absent fields are left out, as in JSON. */
    private static ObjectNode read(CodedInputStream in) throws IOException {
        ObjectNode o = NODES.objectNode();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int type = WireFormat.getTagWireType(tag);
            if (field < STRING_FIELDS.length && STRING_FIELDS[field] != null && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                o.put(STRING_FIELDS[field], in.readStringRequireUtf8());
            } else if ((field == 4 || field == 5) && type == WireFormat.WIRETYPE_VARINT) {
                o.put(field == 4 ? "version" : "event_time", in.readInt64());
            } else if (field == 11 && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                readMapEntry(in, o.has("metadata") ? (ObjectNode) o.get("metadata") : o.putObject("metadata"));
            } else if (field == 13 && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                (o.has("acl") ? (ArrayNode) o.get("acl") : o.putArray("acl")).add(in.readStringRequireUtf8());
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return o;
    }

    private static void readMapEntry(CodedInputStream in, ObjectNode metadata) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        String key = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> key = in.readStringRequireUtf8();
                case 2 -> value = in.readStringRequireUtf8();
                default -> in.skipField(tag);
            }
        }
        in.popLimit(limit);
        metadata.put(key, value);
    }
}
