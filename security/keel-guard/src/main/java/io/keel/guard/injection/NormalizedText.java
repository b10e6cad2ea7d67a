package io.keel.guard.injection;

import java.util.List;

/**
 * A text as the injection checks see it, with what was undone to get there.
 *
 * @param text     NFKC-normalized, invisible and bidi controls removed, look-alike letters mapped to Latin
 * @param evasions what the original did to hide its content ({@code zero-width}, {@code bidi}, {@code confusables},
 *                 {@code tag-characters}, {@code mixed-script}); empty for ordinary text
 * @param decoded  payloads found encoded in the text (base64, hex, rot13), decoded, each normalized the same way
 */
public record NormalizedText(String text, List<String> evasions, List<Decoded> decoded) {
    /** A payload that was encoded in the text. */
    public record Decoded(String encoding, int start, int end, String text) {
    }

    public NormalizedText {
        evasions = List.copyOf(evasions);
        decoded = List.copyOf(decoded);
    }
}
