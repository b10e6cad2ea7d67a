package io.keel.stream;

import java.util.Locale;
import java.util.Set;

/**
 * Tells the forms of a document event apart record by record, so one topic may carry all of them: a {@code
 * content-type} that names Protobuf selects a bare Protobuf message; otherwise a leading zero byte is Confluent's
 * framing (read as Protobuf), the marker {@code C3 01} is Avro single-object encoding, and anything else is JSON.
 */
public final class EventFormats {
    /** Content types that mark a record's value as a bare Protobuf message (parameters such as {@code ;proto=} aside). */
    public static final Set<String> PROTOBUF_CONTENT_TYPES = Set.of("application/x-protobuf", "application/protobuf",
            "application/vnd.google.protobuf");

    private EventFormats() {
    }

    /**
     * @param value       the record's value
     * @param contentType the record's {@code content-type} header; null when it has none
     * @throws InvalidEventException when the value is not a valid event in the form it was recognised as
     */
    public static DocumentEvent parse(byte[] value, String contentType) {
        if (isProtobuf(contentType) || ProtobufDocumentEvents.isConfluentFramed(value)) {
            return ProtobufDocumentEvents.parse(value);
        }
        return AvroDocumentEvents.parseAny(value);
    }

    static boolean isProtobuf(String contentType) {
        if (contentType == null) return false;
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        return PROTOBUF_CONTENT_TYPES.contains(type);
    }
}
