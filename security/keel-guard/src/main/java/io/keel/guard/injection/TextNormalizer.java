package io.keel.guard.injection;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Undoes the tricks used to slip instructions past filters: compatibility forms (full-width letters), invisible
 * characters, bidirectional overrides, Unicode tag characters (invisible ASCII), look-alike letters from other
 * scripts, and payloads encoded as base64, hex, rot13 or Morse code. Thread-safe and stateless.
 */
public final class TextNormalizer {
    /** Shortest base64 / hex run worth decoding; shorter runs are usually ids and hashes of no interest. */
    static final int MIN_ENCODED_LENGTH = 16;
    private static final Pattern ROT13_HINT = Pattern.compile("(?i)\\b(rot-?13|rot 13|caesar)\\b");
    private static final Pattern WORD = Pattern.compile("\\p{L}+");

    /** Cyrillic and Greek letters that render like Latin ones, and the Latin letter they imitate. */
    private static final String CONFUSABLE_FROM =
            "аеорсухіјѕԁһԛԝӏАВЕКМНОРСТУХІЈЅԌαβεικνορτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧɑɡ";
    private static final String CONFUSABLE_TO =
            "aeopcyxijsdhqwlABEKMHOPCTYXIJSGabeikvoptuxABEZHIKMNOPTYXag";

    public NormalizedText normalize(String input) {
        if (isPrintableAscii(input)) {
            // ASCII is already NFKC and holds no invisible, bidi, tag or look-alike characters
            return new NormalizedText(input, List.of(), decode(input));
        }
        Set<String> evasions = new LinkedHashSet<>();
        String text = Normalizer.normalize(input, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xE0000 && cp <= 0xE007F) {
                evasions.add("tag-characters");
                if (cp >= 0xE0020 && cp <= 0xE007E) sb.append((char) (cp - 0xE0000));
            } else if (isZeroWidth(cp)) {
                // Inside a word it hides the word from filters ("ig\u200Bnore"); between emoji (ZWJ sequences) or in
                // scripts that need it (ZWNJ in Persian) it is ordinary text and is dropped without suspicion.
                if (i < text.length() && !sb.isEmpty() && isAsciiAlnum(sb.charAt(sb.length() - 1)) && isAsciiAlnum(text.charAt(i))) {
                    evasions.add("zero-width");
                }
            } else if (isBidiControl(cp)) {
                evasions.add("bidi");
            } else {
                int k = CONFUSABLE_FROM.indexOf(cp);
                if (k >= 0 && cp <= 0xFFFF) {
                    sb.append(CONFUSABLE_TO.charAt(k));
                } else {
                    sb.appendCodePoint(cp);
                }
            }
        }
        String cleaned = sb.toString();
        if (hasMixedScriptWord(text)) {
            evasions.add("mixed-script");
            evasions.add("confusables");
        }
        return new NormalizedText(cleaned, List.copyOf(evasions), decode(cleaned));
    }

    private List<NormalizedText.Decoded> decode(String text) {
        List<NormalizedText.Decoded> out = new ArrayList<>();
        // Linear scans for runs of the base64 and hex alphabets; regular expressions with nested repetition were
        // the slowest part of normalization on long texts.
        int n = text.length();
        for (int i = 0; i < n; ) {
            if (!isBase64(text.charAt(i))) {
                i++;
                continue;
            }
            int s = i;
            boolean letterOnly = true;
            while (i < n && isBase64(text.charAt(i))) letterOnly &= Character.isLetter(text.charAt(i++));
            int e = i;
            while (e < n && e - i < 2 && text.charAt(e) == '=') e++;
            if (i - s < MIN_ENCODED_LENGTH || letterOnly) continue;   // short, or a long word rather than an encoding
            String decoded = printable(decodeBase64(text.substring(s, e)));
            if (decoded != null) out.add(new NormalizedText.Decoded("base64", s, e, normalizeNested(decoded)));
        }
        for (int i = 0; i < n; ) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                i++;
                continue;
            }
            int s = i;
            StringBuilder hex = new StringBuilder();
            int last = i;
            while (i < n) {
                char c = text.charAt(i);
                if (Character.digit(c, 16) >= 0) {
                    hex.append(c);
                    last = i + 1;
                } else if (c != ' ' && c != ':') {
                    break;
                }
                i++;
            }
            if (hex.length() < MIN_ENCODED_LENGTH || hex.length() % 2 != 0) continue;
            String decoded = printable(HexFormat.of().parseHex(hex));
            if (decoded != null) out.add(new NormalizedText.Decoded("hex", s, last, normalizeNested(decoded)));
        }
        if (ROT13_HINT.matcher(text).find()) {
            out.add(new NormalizedText.Decoded("rot13", 0, text.length(), rot13(text)));
        }
        String morse = morse(text);
        if (morse != null) out.add(new NormalizedText.Decoded("morse", 0, text.length(), morse));
        return out;
    }

    private static final String[] MORSE = {".-", "-...", "-.-.", "-..", ".", "..-.", "--.", "....", "..", ".---", "-.-", ".-..",
            "--", "-.", "---", ".--.", "--.-", ".-.", "...", "-", "..-", "...-", ".--", "-..-", "-.--", "--..",
            "-----", ".----", "..---", "...--", "....-", ".....", "-....", "--...", "---..", "----.", ".-.-.-", "--..--", "..--.."};
    private static final String MORSE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789.,?";

    /**
     * A text written in Morse code (dots, dashes, letters apart by a space, words by two or more or a slash), decoded;
     * null when the text is not Morse: shorter than 20 characters, or anything but dots, dashes, slashes and
     * whitespace in it, or a code that is no letter.
     */
    static String morse(String text) {
        String t = text.strip();
        if (t.length() < 20) return null;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c != '.' && c != '-' && c != '/' && !Character.isWhitespace(c)) return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String word : t.split("\\s*/\\s*|\\s{2,}")) {
            if (word.isBlank()) continue;
            if (!sb.isEmpty()) sb.append(' ');
            for (String code : word.strip().split("\\s+")) {
                int k = java.util.Arrays.asList(MORSE).indexOf(code);
                if (k < 0) return null;
                sb.append(MORSE_CHARS.charAt(k));
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private String normalizeNested(String decoded) {
        return Normalizer.normalize(decoded, Normalizer.Form.NFKC);
    }

    static String rot13(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') c = (char) ('a' + (c - 'a' + 13) % 26);
            else if (c >= 'A' && c <= 'Z') c = (char) ('A' + (c - 'A' + 13) % 26);
            sb.append(c);
        }
        return sb.toString();
    }

    private static byte[] decodeBase64(String run) {
        String s = run.replace('-', '+').replace('_', '/');
        int pad = (4 - s.replace("=", "").length() % 4) % 4;
        s = s.replace("=", "") + "=".repeat(pad == 3 ? 0 : pad);
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes as UTF-8 text when they are mostly printable words; null for binary. */
    private static String printable(byte[] bytes) {
        if (bytes == null || bytes.length < 8) return null;
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        long printable = s.chars().filter(c -> !Character.isISOControl(c) || c == '\n' || c == '\t').count();
        long letters = s.chars().filter(Character::isLetter).count();
        return printable == s.length() && letters * 2 >= s.length() && s.indexOf(' ') >= 0 ? s : null;
    }

    private static boolean isAsciiAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' || c == '_';
    }

    private static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x7E || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) return false;
        }
        return true;
    }

    private static boolean isZeroWidth(int cp) {
        return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E
                || cp == 0x00AD || cp == 0x2061 || cp == 0x2062 || cp == 0x2063 || cp == 0x2064;
    }

    private static boolean isBidiControl(int cp) {
        return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C;
    }

    /** A single word written with letters from both Latin and Cyrillic/Greek: a classic homoglyph trick. */
    private static boolean hasMixedScriptWord(String text) {
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            boolean latin = false;
            boolean other = false;
            String w = m.group();
            for (int i = 0; i < w.length(); i++) {
                Character.UnicodeScript script = Character.UnicodeScript.of(w.charAt(i));
                latin |= script == Character.UnicodeScript.LATIN;
                other |= (script == Character.UnicodeScript.CYRILLIC || script == Character.UnicodeScript.GREEK)
                        && CONFUSABLE_FROM.indexOf(w.charAt(i)) >= 0;
            }
            if (latin && other) return true;
        }
        return false;
    }
}
