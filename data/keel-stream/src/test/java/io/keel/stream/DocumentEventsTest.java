package io.keel.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocumentEventsTest {
    private static DocumentEvent parse(String json) {
        return DocumentEvents.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void rejects(String json, String... messageParts) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidEventException.class).hasMessageContainingAll(messageParts);
    }

    @Test
    void readsAFullUpsert() {
        DocumentEvent e = parse("""
                {"op":"upsert","id":"kb/1","collection":"kb","version":7,"event_time":"2026-11-29T06:00:00Z",
                 "content":"# T\\n\\nbody","title":"Title","media_type":"text/markdown; charset=utf-8",
                 "metadata":{"team":"billing"},"tenant":"acme","acl":["group:a","user:b"]}""");

        assertThat(e.op()).isEqualTo(DocumentEvent.Op.UPSERT);
        assertThat(e.id()).isEqualTo("kb/1");
        assertThat(e.collection()).isEqualTo("kb");
        assertThat(e.version()).isEqualTo(7);
        assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-11-29T06:00:00Z"));
        assertThat(e.content()).isEqualTo("# T\n\nbody");
        assertThat(e.mediaType()).isEqualTo("text/markdown");
        assertThat(e.metadata()).isEqualTo(Map.of("team", "billing"));
        assertThat(e.tenant()).isEqualTo("acme");
        assertThat(e.acl()).containsExactly("group:a", "user:b");
    }

    @Test
    void anEventTimeStandsInForAMissingVersion() {
        DocumentEvent iso = parse("{\"op\":\"delete\",\"id\":\"a\",\"event_time\":\"2026-01-01T00:00:00.000001Z\"}");
        DocumentEvent millis = parse("{\"op\":\"delete\",\"id\":\"a\",\"event_time\":1767225600000}");

        assertThat(iso.version()).isEqualTo(DocumentEvent.versionOf(Instant.parse("2026-01-01T00:00:00.000001Z")));
        assertThat(millis.version()).isEqualTo(1767225600000L * 1000);
        assertThat(iso.version()).isGreaterThan(millis.version());
    }

    @Test
    void writesWhatItReads() {
        DocumentEvent e = new DocumentEvent(DocumentEvent.Op.UPSERT, "a", "kb", 3, Instant.parse("2026-01-01T00:00:00Z"),
                "text", null, null, "T", "text/plain", Map.of("k", "v"), "t", List.of("p"));

        assertThat(DocumentEvents.parse(DocumentEvents.toBytes(e))).isEqualTo(e);
    }

    @Test
    void namesWhatIsWrong() {
        rejects("not json", "not valid JSON");
        rejects("[1]", "must be a JSON object", "array");
        rejects("{\"id\":\"a\",\"version\":1,\"content\":\"x\"}", "'op' is required");
        rejects("{\"op\":\"merge\",\"id\":\"a\",\"version\":1}", "'op' must be \"upsert\" or \"delete\"", "merge");
        rejects("{\"op\":\"delete\",\"version\":1}", "'id' is required");
        rejects("{\"op\":\"delete\",\"id\":\" \",\"version\":1}", "'id' must not be empty");
        rejects("{\"op\":\"delete\",\"id\":\"a\"}", "needs a 'version'", "or an 'event_time'");
        rejects("{\"op\":\"delete\",\"id\":\"a\",\"version\":-1}", "'version' must be an integer", "-1");
        rejects("{\"op\":\"delete\",\"id\":\"a\",\"version\":\"7\"}", "'version' must be an integer", "\"7\"");
        rejects("{\"op\":\"delete\",\"id\":\"a\",\"event_time\":\"yesterday\"}", "'event_time' must be an ISO-8601 instant");
        rejects("{\"op\":\"delete\",\"id\":\"a\",\"version\":1,\"content\":\"x\"}", "a delete takes no 'content'");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1}", "exactly one of 'content', 'url' or 'path'; got 0");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"path\":\"/x\"}", "got 2");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"url\":\"file:///etc/passwd\"}", "'url' must be an http");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"media_type\":\"application/pdf\"}",
                "'media_type' must be one of", "application/pdf");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"metadata\":{\"n\":1}}", "metadata 'n' must be a string");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"metadata\":{\"bad key\":\"v\"}}", "metadata key 'bad key'");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"acl\":\"group:a\"}", "'acl' must be an array");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"collection\":\"Bad Name\"}", "'collection' must be");
        rejects("{\"op\":\"upsert\",\"id\":\"a\",\"version\":1,\"content\":\"x\",\"verison\":2}", "unknown field 'verison'");
    }
}
