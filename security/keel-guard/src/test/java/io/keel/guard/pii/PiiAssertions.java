package io.keel.guard.pii;

import io.keel.core.guard.Finding;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions shared by the recognizer tests. */
final class PiiAssertions {
    private PiiAssertions() {
    }

    /** Exactly one finding of {@code r} in {@code text}, of the recognizer's type, on {@code value} where it first occurs. */
    static Finding foundOnce(PiiRecognizer r, String text, String value) {
        List<Finding> found = r.recognize(text);
        int start = text.indexOf(value);
        assertThat(start).as("%s does not occur in %s", value, text).isNotNegative();
        assertThat(found).as("%s in %s", r.name(), text).singleElement().satisfies(f -> {
            assertThat(r.entityTypes()).contains(f.type());
            assertThat(f.start()).isEqualTo(start);
            assertThat(f.end()).isEqualTo(start + value.length());
        });
        return found.getFirst();
    }

    /** {@code r} finds nothing in any of {@code texts}. */
    static void rejected(PiiRecognizer r, String... texts) {
        for (String text : texts) assertThat(r.recognize(text)).as(r.name() + " in " + text).isEmpty();
    }
}
