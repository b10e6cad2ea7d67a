package io.keel.stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroDocumentEventsTest {
    private static final DocumentEvent FULL = new DocumentEvent(DocumentEvent.Op.UPSERT, "kb/42", "kb", 7,
            Instant.parse("2026-11-29T06:00:00Z"), "# Refunds\n\nThirty days.", null, null, "Refunds", "text/markdown",
            Map.of("team", "billing"), "acme", List.of("group:support"));

    @Test
    void everyFieldRoundTrips() {
        byte[] bytes = AvroDocumentEvents.toBytes(FULL);

        assertThat(AvroDocumentEvents.isAvro(bytes)).isTrue();
        assertThat(AvroDocumentEvents.parse(bytes)).isEqualTo(FULL);
        assertThat(AvroDocumentEvents.parseAny(bytes)).isEqualTo(FULL);
        DocumentEvent delete = DocumentEvent.delete("kb/42", "kb", 8);
        assertThat(AvroDocumentEvents.parse(AvroDocumentEvents.toBytes(delete))).isEqualTo(delete);
    }

    @Test
    void jsonStillParsesThroughTheSameEntryPoint() {
        byte[] json = DocumentEvents.toBytes(FULL);
        assertThat(AvroDocumentEvents.isAvro(json)).isFalse();
        assertThat(AvroDocumentEvents.parseAny(json)).isEqualTo(FULL);
    }

    @Test
    void aRecordBreakingAnEventRuleGetsTheJsonFormsMessage() {
        // valid Avro, but an upsert without content, url or path
        GenericRecord r = new GenericData.Record(AvroDocumentEvents.SCHEMA);
        r.put("op", new GenericData.EnumSymbol(AvroDocumentEvents.SCHEMA.getField("op").schema(), "upsert"));
        r.put("id", "x");
        r.put("version", 1L);
        byte[] bytes = encode(AvroDocumentEvents.SCHEMA, r);

        assertThatThrownBy(() -> AvroDocumentEvents.parse(bytes)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("exactly one of 'content', 'url' or 'path'");
    }

    @Test
    void anUnknownSchemaOrABrokenRecordIsAClearError() {
        Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        GenericRecord r = new GenericData.Record(other);
        r.put("id", "x");
        assertThatThrownBy(() -> AvroDocumentEvents.parse(encode(other, r))).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("Avro schema Keel does not know").hasMessageContaining(AvroDocumentEvents.fingerprint());

        byte[] truncated = java.util.Arrays.copyOf(AvroDocumentEvents.toBytes(FULL), 14);
        assertThatThrownBy(() -> AvroDocumentEvents.parse(truncated)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("broken Avro record");
        assertThatThrownBy(() -> AvroDocumentEvents.parse("{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not an Avro single-object message");
    }

    @Test
    void theFingerprintIsTheOneInEveryMessage() {
        byte[] bytes = AvroDocumentEvents.toBytes(FULL);
        assertThat(java.util.HexFormat.of().formatHex(bytes, 2, 10)).isEqualTo(AvroDocumentEvents.fingerprint());
    }

    private static byte[] encode(Schema schema, GenericRecord r) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(r).array();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
