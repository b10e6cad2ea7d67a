package io.keel.core.chat;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body event by event, as the WHATWG specification frames it: {@code event:} and
 * {@code data:} fields, multi-line data joined with {@code \n}, comments ({@code :...}) skipped, an empty line ending
 * an event. Shared by the provider adapters. Not thread-safe.
 */
public final class SseReader implements Closeable {
    private final BufferedReader in;

    public SseReader(InputStream body) {
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
    }

    /**
     * The next event, or null at a clean end of stream.
     *
     * @throws IOException when the connection breaks; an event cut off by the end of stream is dropped, as the
     *                     specification requires, so a truncated stream never yields a half event
     */
    public Event next() throws IOException {
        String event = null;
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) return new Event(event == null ? "message" : event, data.toString());
                event = null;
                continue;
            }
            if (line.charAt(0) == ':') continue;
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            switch (field) {
                case "event" -> event = value;
                case "data" -> {
                    if (data == null) data = new StringBuilder(value);
                    else data.append('\n').append(value);
                }
                default -> { }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** One dispatched event; {@code name} is {@code message} when the stream gave none. */
    public record Event(String name, String data) {
    }
}
