package io.keel.stream;

import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufDocumentEventsTest {
    private static final DocumentEvent FULL = new DocumentEvent(DocumentEvent.Op.UPSERT, "kb/42", "kb", 7,
            Instant.parse("2026-11-29T06:00:00Z"), "# Refunds\n\nThirty days.", null, null, "Refunds", "text/markdown",
            Map.of("team", "billing", "region", "eu"), "acme", List.of("group:support", "user:ana"));

    @Test
    void everyFieldRoundTripsRawAndConfluentFramed() {
        assertThat(ProtobufDocumentEvents.parse(ProtobufDocumentEvents.toBytes(FULL))).isEqualTo(FULL);
        byte[] framed = ProtobufDocumentEvents.toConfluentBytes(FULL, 12);
        assertThat(ProtobufDocumentEvents.isConfluentFramed(framed)).isTrue();
        assertThat(ProtobufDocumentEvents.parse(framed)).isEqualTo(FULL);
        DocumentEvent delete = DocumentEvent.delete("kb/42", "kb", 8);
        assertThat(ProtobufDocumentEvents.parse(ProtobufDocumentEvents.toBytes(delete))).isEqualTo(delete);
    }

    @Test
    void everyFormIsToldApartPerRecord() {
        assertThat(EventFormats.parse(ProtobufDocumentEvents.toBytes(FULL), "application/x-protobuf; messageType=DocumentEvent"))
                .isEqualTo(FULL);
        assertThat(EventFormats.parse(ProtobufDocumentEvents.toConfluentBytes(FULL, 3), null)).isEqualTo(FULL);
        assertThat(EventFormats.parse(AvroDocumentEvents.toBytes(FULL), null)).isEqualTo(FULL);
        assertThat(EventFormats.parse(DocumentEvents.toBytes(FULL), "application/json")).isEqualTo(FULL);
        assertThat(ProtobufDocumentEvents.isConfluentFramed(DocumentEvents.toBytes(FULL))).isFalse();
        assertThat(ProtobufDocumentEvents.isConfluentFramed(AvroDocumentEvents.toBytes(FULL))).isFalse();
    }

    @Test
    void fieldsOfANewerSchemaAreSkipped() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        buffer.write(ProtobufDocumentEvents.toBytes(FULL));
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        out.writeString(99, "a field Keel does not know");
        out.writeInt64(100, 5);
        out.flush();

        assertThat(ProtobufDocumentEvents.parse(buffer.toByteArray())).isEqualTo(FULL);
    }

    @Test
    void aMessageBreakingAnEventRuleGetsTheJsonFormsMessage() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);
        out.writeString(1, "upsert");
        out.writeString(2, "x");
        out.writeInt64(4, 1);
        out.flush();

        assertThatThrownBy(() -> ProtobufDocumentEvents.parse(buffer.toByteArray())).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("exactly one of 'content', 'url' or 'path'");
    }

    @Test
    void brokenBytesAndOtherSchemasAreClearErrors() {
        byte[] truncated = Arrays.copyOf(ProtobufDocumentEvents.toBytes(FULL), 20);
        assertThatThrownBy(() -> ProtobufDocumentEvents.parse(truncated)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not a Keel Protobuf event");

        // Message indexes [1] (the schema's second message type): a count of 1, then index 1, both zig-zag varints.
        byte[] firstType = ProtobufDocumentEvents.toConfluentBytes(FULL, 3);
        byte[] indexed = new byte[firstType.length + 1];
        System.arraycopy(firstType, 0, indexed, 0, 5);
        indexed[5] = 2;
        indexed[6] = 2;
        System.arraycopy(firstType, 6, indexed, 7, firstType.length - 6);
        assertThatThrownBy(() -> ProtobufDocumentEvents.parse(indexed)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not the first type of its schema (schema id 3)");

        assertThatThrownBy(() -> EventFormats.parse("{\"op\":\"upsert\"}".getBytes(StandardCharsets.UTF_8), "application/protobuf"))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a Keel Protobuf event");
    }
}
