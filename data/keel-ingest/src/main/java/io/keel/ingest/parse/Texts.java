package io.keel.ingest.parse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Text helpers shared by the parsers. */
final class Texts {
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Texts() {
    }

    /** Collapses runs of whitespace (line breaks included) into one space and strips the ends. */
    static String normalize(CharSequence text) {
        return WHITESPACE.matcher(text).replaceAll(" ").strip();
    }

    /** UTF-8 (a byte-order mark is dropped); bytes that are not valid UTF-8 are read as Windows-1252. */
    static String decode(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, java.nio.charset.Charset.forName("windows-1252"));
        }
    }
}
