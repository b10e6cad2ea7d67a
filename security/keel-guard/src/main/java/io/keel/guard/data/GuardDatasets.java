package io.keel.guard.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Readers for the public guard data sets in the shared datasets folder (see its README for provenance and labels),
 * each split by {@link HeldOutSplit}.
 *
 * <pre>{@code
 * GuardDatasets.Set benign = GuardDatasets.benignInstructions(datasets);
 * benign.training();   // what a trainer may read
 * benign.heldOut();    // what keel guard eval reads
 * }</pre>
 */
public final class GuardDatasets {
    public static final String DEEPSET = "prompt-injections-deepset/train.jsonl";
    public static final String INJECTION_EXTRA = "injection-extra/injection_extra.jsonl";
    public static final String BENIGN = "benign-instructions/benign_instructions.jsonl";
    public static final String XSTEST = "xstest/xstest_prompts.jsonl";
    public static final String DO_NOT_ANSWER = "do-not-answer/do_not_answer.jsonl";

    /** One data set: its file (relative to the datasets folder), that file's SHA-256, and its rows. */
    public record Set(String name, String file, String sha256, List<LabeledText> rows) {
        public Set {
            rows = List.copyOf(rows);
        }

        public List<LabeledText> training() {
            return rows.stream().filter(r -> !HeldOutSplit.heldOut(r.text())).toList();
        }

        public List<LabeledText> heldOut() {
            return rows.stream().filter(r -> HeldOutSplit.heldOut(r.text())).toList();
        }

        public static List<LabeledText> withLabel(List<LabeledText> rows, int label) {
            return rows.stream().filter(r -> r.label() == label).toList();
        }
    }

    private GuardDatasets() {
    }

    /** deepset/prompt-injections train split: label 1 = injection (English and German). */
    public static Set deepset(Path datasets) {
        return read(datasets, "deepset", DEEPSET, n -> new LabeledText(n.get("text").asText(), n.get("label").asInt(), null));
    }

    /** Jailbreaks (label 1) and benign prompts, many of them role-plays (label 0). */
    public static Set injectionExtra(Path datasets) {
        return read(datasets, "injection-extra", INJECTION_EXTRA, n -> new LabeledText(n.get("text").asText(), n.get("label").asInt(), null));
    }

    /** Ordinary assistant requests, all label 0. */
    public static Set benignInstructions(Path datasets) {
        return read(datasets, "benign-instructions", BENIGN, n -> new LabeledText(n.get("text").asText(), 0, null));
    }

    /** XSTest v2: label 1 = unsafe contrast prompt (with a category), 0 = safe prompt that only looks unsafe. */
    public static Set xstest(Path datasets) {
        return read(datasets, "xstest", XSTEST, n -> {
            boolean unsafe = n.get("label").asText().equals("unsafe");
            String text = n.get("text").asText();
            return new LabeledText(text, unsafe ? 1 : 0, unsafe ? HarmCategories.ofXstest(n.get("type").asText(), text) : null);
        });
    }

    /** Do-Not-Answer: every row harmful (label 1), with a category mapped from its harm type. */
    public static Set doNotAnswer(Path datasets) {
        return read(datasets, "do-not-answer", DO_NOT_ANSWER, n -> new LabeledText(n.get("text").asText(), 1,
                HarmCategories.ofDoNotAnswer(n.get("harm_type").asText(), n.path("specific_harm").asText())));
    }

    private interface RowReader {
        LabeledText read(JsonNode n);
    }

    private static Set read(Path datasets, String name, String file, RowReader reader) {
        Path p = datasets.resolve(file);
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("data set " + name + " not found: " + p.toAbsolutePath().normalize());
        ObjectMapper json = new ObjectMapper();
        List<LabeledText> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.isBlank()) continue;
                LabeledText r = reader.read(json.readTree(line));
                if (!r.text().isBlank()) rows.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
        return new Set(name, file, sha256(p), rows);
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
