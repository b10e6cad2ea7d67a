package io.keel.guard.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.guard.data.HeldOutSplit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Extra training rows from outside the shared data sets ({@code security/keel-guard/train/extra_data.py} writes them:
 * {@code text, source, inj, harm} a line), kept only when they cannot leak into an evaluation: a row is dropped when
 * its text equals (after {@link HeldOutSplit#key}) any row of any shared data set, training side or held out, or when
 * it shares a substring of {@value #SHARED_CHARS} characters with a held-out row, or when it repeats an earlier extra
 * row. What is kept is training-only: never held out, never in the development part.
 */
public final class ExtraRows {
    static final int SHARED_CHARS = 25;

    public record Row(String text, String source, int inj, int harm) {
    }

    /** The kept rows and, per source, how many rows were read and dropped for each reason. */
    public record Result(List<Row> kept, Map<String, int[]> counts) {
        /** counts[source] = {read, kept, equal to a shared row, sharing a substring with a held-out row, repeated} */
        public static final List<String> COLUMNS = List.of("read", "kept", "equal_to_shared_row", "shares_25_chars_with_held_out_row", "repeated");
    }

    private final Set<String> sharedKeys = new HashSet<>();
    private final Set<String> heldOutShingles = new HashSet<>();

    /** @param shared every row of every shared data set; @param heldOut the held-out ones among them */
    public ExtraRows(Collection<String> shared, Collection<String> heldOut) {
        for (String t : shared) sharedKeys.add(HeldOutSplit.key(t));
        for (String t : heldOut) {
            String k = HeldOutSplit.key(t);
            for (int i = 0; i + SHARED_CHARS <= k.length(); i++) heldOutShingles.add(k.substring(i, i + SHARED_CHARS));
        }
    }

    public static List<Row> read(Path file) {
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                rows.add(new Row(n.path("text").asText(), n.path("source").asText(), n.path("inj").asInt(), n.path("harm").asInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (Row r : rows) {
            if (r.text().isBlank() || r.source().isBlank()) throw new IllegalArgumentException(file + ": a row without text or source");
            if (r.inj() < 0 || r.inj() > 1 || r.harm() < -1 || r.harm() > 1) throw new IllegalArgumentException(file + ": bad labels in " + r);
        }
        return rows;
    }

    public Result filter(List<Row> rows) {
        List<Row> kept = new ArrayList<>();
        Map<String, int[]> counts = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            int[] c = counts.computeIfAbsent(r.source(), s -> new int[Result.COLUMNS.size()]);
            c[0]++;
            String k = HeldOutSplit.key(r.text());
            if (sharedKeys.contains(k)) c[2]++;
            else if (sharesWithHeldOut(k)) c[3]++;
            else if (!seen.add(k)) c[4]++;
            else {
                c[1]++;
                kept.add(r);
            }
        }
        return new Result(List.copyOf(kept), counts);
    }

    private boolean sharesWithHeldOut(String key) {
        for (int i = 0; i + SHARED_CHARS <= key.length(); i++) if (heldOutShingles.contains(key.substring(i, i + SHARED_CHARS))) return true;
        return false;
    }
}
