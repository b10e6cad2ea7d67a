package io.keel.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The JSON form of {@link DocumentEvent}: strict parsing with one clear message per problem, and writing.
 *
 * <pre>{@code
 * {"op": "upsert", "id": "kb/42", "version": 7, "content": "# Refunds\n...", "media_type": "text/markdown",
 *  "title": "Refunds", "metadata": {"team": "billing"}, "tenant": "acme", "acl": ["group:support"],
 *  "event_time": "2026-11-29T06:00:00Z", "collection": "kb"}
 * {"op": "delete", "id": "kb/42", "version": 8}
 * }</pre>
 *
 * Rules: {@code op} and {@code id} are required; {@code version} (a non-negative integer) or {@code event_time}
 * (ISO-8601 instant, or epoch milliseconds) is required, the version winning when both are given; an upsert has
 * exactly one of {@code content}, {@code url}, {@code path}; a delete has none of them nor any document field.
 * Unknown fields are errors, so a misspelt field never goes unnoticed. Thread-safe.
 */
public final class DocumentEvents {
    /** Longest accepted document id. */
    public static final int MAX_ID_LENGTH = 512;
    /** Media types with a parser. */
    public static final Set<String> MEDIA_TYPES = Set.of("text/markdown", "text/plain", "text/html");

    private static final Set<String> FIELDS = Set.of("op", "id", "collection", "version", "event_time", "content", "url",
            "path", "title", "media_type", "metadata", "tenant", "acl");
    private static final Set<String> UPSERT_ONLY = Set.of("content", "url", "path", "title", "media_type", "metadata",
            "tenant", "acl");
    private static final Pattern COLLECTION = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final ObjectMapper JSON = mapper(64 * 1024 * 1024);

    private DocumentEvents() {
    }

    /** A mapper whose strings may be as long as {@code maxStringLength} characters (a document's content). */
    public static ObjectMapper mapper(int maxStringLength) {
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxStringLength).build());
        return mapper;
    }

    /**
     * Parses one event from JSON bytes.
     *
     * @throws InvalidEventException when the bytes are not one JSON object or the object is not a valid event
     */
    public static DocumentEvent parse(byte[] json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException("not readable: " + e.getMessage(), e);
        }
        if (node == null || node.isMissingNode()) throw new InvalidEventException("empty event; expected a JSON object");
        return parse(node);
    }

    /**
     * Validates one event object.
     *
     * @throws InvalidEventException naming the first field that is missing, unknown or malformed
     */
    public static DocumentEvent parse(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            throw new InvalidEventException("an event must be a JSON object; got " + describe(node));
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidEventException("unknown field '" + name + "'; an event has " + new java.util.TreeSet<>(FIELDS));
            }
        }
        DocumentEvent.Op op = op(object);
        String id = id(object);
        String collection = optionalText(object, "collection");
        if (collection != null && !COLLECTION.matcher(collection).matches()) {
            throw new InvalidEventException("'collection' must be 1-64 lower-case letters, digits, '_' or '-', starting "
                    + "with a letter or digit; got '" + collection + "'");
        }
        Instant eventTime = eventTime(object);
        long version = version(object, eventTime);
        if (op == DocumentEvent.Op.DELETE) {
            for (String field : UPSERT_ONLY) {
                if (object.has(field)) throw new InvalidEventException("a delete takes no '" + field + "'; send only op, id, version or event_time, and collection");
            }
            return new DocumentEvent(op, id, collection, version, eventTime, null, null, null, null, null, null, null, null);
        }
        String content = optionalString(object, "content");
        String url = optionalText(object, "url");
        String path = optionalText(object, "path");
        int sources = (content == null ? 0 : 1) + (url == null ? 0 : 1) + (path == null ? 0 : 1);
        if (sources != 1) {
            throw new InvalidEventException("an upsert needs exactly one of 'content', 'url' or 'path'; got " + sources);
        }
        if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new InvalidEventException("'url' must be an http:// or https:// address; got '" + url + "'");
        }
        return new DocumentEvent(op, id, collection, version, eventTime, content, url, path,
                optionalString(object, "title"), mediaType(object), metadata(object), optionalText(object, "tenant"),
                acl(object));
    }

    /** The JSON form of {@code event}, readable by {@link #parse(byte[])}. */
    public static ObjectNode toJson(DocumentEvent event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("op", event.op().wireName());
        o.put("id", event.id());
        if (event.collection() != null) o.put("collection", event.collection());
        o.put("version", event.version());
        if (event.eventTime() != null) o.put("event_time", event.eventTime().toString());
        if (event.content() != null) o.put("content", event.content());
        if (event.url() != null) o.put("url", event.url());
        if (event.path() != null) o.put("path", event.path());
        if (event.title() != null) o.put("title", event.title());
        if (event.mediaType() != null) o.put("media_type", event.mediaType());
        if (!event.metadata().isEmpty()) {
            ObjectNode m = o.putObject("metadata");
            new TreeMap<>(event.metadata()).forEach(m::put);
        }
        if (event.tenant() != null) o.put("tenant", event.tenant());
        if (!event.acl().isEmpty()) {
            ArrayNode a = o.putArray("acl");
            event.acl().forEach(a::add);
        }
        return o;
    }

    /** {@link #toJson} as UTF-8 bytes. */
    public static byte[] toBytes(DocumentEvent event) {
        try {
            return JSON.writeValueAsBytes(toJson(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static DocumentEvent.Op op(ObjectNode o) {
        String op = requiredText(o, "op");
        return switch (op) {
            case "upsert" -> DocumentEvent.Op.UPSERT;
            case "delete" -> DocumentEvent.Op.DELETE;
            default -> throw new InvalidEventException("'op' must be \"upsert\" or \"delete\"; got \"" + op + "\"");
        };
    }

    private static String id(ObjectNode o) {
        String id = requiredText(o, "id");
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException("'id' has " + id.length() + " characters; at most " + MAX_ID_LENGTH + " are allowed");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) throw new InvalidEventException("'id' must not contain control characters");
        }
        return id;
    }

    private static Instant eventTime(ObjectNode o) {
        JsonNode n = o.get("event_time");
        if (n == null || n.isNull()) return null;
        if (n.isIntegralNumber() && n.canConvertToLong() && n.asLong() >= 0) return Instant.ofEpochMilli(n.asLong());
        if (n.isTextual()) {
            try {
                return Instant.parse(n.asText());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new InvalidEventException("'event_time' must be an ISO-8601 instant such as \"2026-11-29T06:00:00Z\" or "
                + "epoch milliseconds; got " + describe(n));
    }

    private static long version(ObjectNode o, Instant eventTime) {
        JsonNode n = o.get("version");
        if (n == null || n.isNull()) {
            if (eventTime == null) {
                throw new InvalidEventException("an event needs a 'version' (an integer that grows with every change of "
                        + "the document) or an 'event_time'");
            }
            return checkNotFuture(DocumentEvent.versionOf(eventTime), "event_time " + eventTime);
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            throw new InvalidEventException("'version' must be an integer between 0 and " + Long.MAX_VALUE + "; got " + describe(n));
        }
        return checkNotFuture(n.asLong(), "version " + n.asLong());
    }

    /**
     * The largest version accepted now: the current time in microseconds since the epoch (the scale event times
     * become versions in) plus one day. A version far in the future would lock a document: no later change could
     * ever be newer.
     */
    public static long maxVersion(Instant now) {
        return DocumentEvent.versionOf(now.plus(java.time.Duration.ofDays(1)));
    }

    /** {@code version} when it is not beyond {@link #maxVersion}, else an {@link InvalidEventException}. */
    public static long checkNotFuture(long version, String what) {
        long max = maxVersion(Instant.now());
        if (version > max) {
            throw new InvalidEventException(what + " is beyond now + 1 day (" + max + " microseconds since the epoch): "
                    + "it would lock the document against every later change. Use a counter, a timestamp in at most "
                    + "microseconds, or an offset");
        }
        return version;
    }

    private static String mediaType(ObjectNode o) {
        String type = optionalText(o, "media_type");
        if (type == null) return null;
        int semicolon = type.indexOf(';');
        String base = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        if (!MEDIA_TYPES.contains(base)) {
            throw new InvalidEventException("'media_type' must be one of " + new java.util.TreeSet<>(MEDIA_TYPES) + "; got '" + type + "'");
        }
        return base;
    }

    private static Map<String, String> metadata(ObjectNode o) {
        JsonNode n = o.get("metadata");
        if (n == null || n.isNull()) return Map.of();
        if (!n.isObject()) throw new InvalidEventException("'metadata' must be an object of strings; got " + describe(n));
        Map<String, String> m = new LinkedHashMap<>();
        for (var e : n.properties()) {
            if (!METADATA_KEY.matcher(e.getKey()).matches()) {
                throw new InvalidEventException("metadata key '" + e.getKey() + "' must be 1-64 letters, digits, '_', '.' or '-'");
            }
            if (!e.getValue().isTextual()) {
                throw new InvalidEventException("metadata '" + e.getKey() + "' must be a string; got " + describe(e.getValue()));
            }
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    private static List<String> acl(ObjectNode o) {
        JsonNode n = o.get("acl");
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw new InvalidEventException("'acl' must be an array of principal names; got " + describe(n));
        List<String> acl = new ArrayList<>();
        for (JsonNode p : n) {
            if (!p.isTextual() || p.asText().isBlank()) {
                throw new InvalidEventException("'acl' entries must be non-empty strings; got " + describe(p));
            }
            acl.add(p.asText());
        }
        return acl;
    }

    private static String requiredText(ObjectNode o, String field) {
        String value = optionalText(o, field);
        if (value == null) throw new InvalidEventException("'" + field + "' is required");
        return value;
    }

    /** A non-blank string, or null when absent. */
    private static String optionalText(ObjectNode o, String field) {
        String value = optionalString(o, field);
        if (value != null && value.isBlank()) throw new InvalidEventException("'" + field + "' must not be empty");
        return value;
    }

    /** Any string (content may be empty), or null when absent. */
    private static String optionalString(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw new InvalidEventException("'" + field + "' must be a string; got " + describe(n));
        return n.asText();
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        JsonNodeType type = n.getNodeType();
        return switch (type) {
            case STRING -> "\"" + abbreviate(n.asText()) + "\"";
            case NUMBER, BOOLEAN, NULL -> n.toString();
            default -> "a JSON " + type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
