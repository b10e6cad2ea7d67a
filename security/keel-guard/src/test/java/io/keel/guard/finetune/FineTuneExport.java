package io.keel.guard.finetune;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keel.guard.data.GuardDatasets;
import io.keel.guard.data.HeldOutSplit;
import io.keel.guard.data.LabeledText;
import io.keel.guard.injection.BenignQuestions;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes every guard data set, tokenized with the MiniLM tokenizer, as JSON lines for the fine-tuning script
 * ({@code security/keel-guard/train/finetune.py}): text, set, split, injection label, harm label (-1: not used for
 * that head), category and token ids (not truncated); and beside it ({@code <out>.sources.json}) every data file with
 * its SHA-256 and row counts, which the script copies into the model card.
 *
 * <p>An optional third argument names extra training rows from outside the shared data sets
 * ({@code security/keel-guard/train/fetch-extra.sh}); {@link ExtraRows} drops those that equal a shared row or share
 * 25 characters with a held-out row, and the rest are written with their source as set, {@code "extra": true} and never
 * held out (finetune.py keeps them out of the development part too).
 *
 * <pre>
 * java -cp &lt;keel-guard test class path&gt; io.keel.guard.finetune.FineTuneExport ../shared/datasets target/guard-data.jsonl [extra.jsonl]
 * </pre>
 */
public final class FineTuneExport {
    public static void main(String[] args) throws Exception {
        Path datasets = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Path extra = args.length > 2 ? Path.of(args[2]) : null;
        List<String> shared = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        HuggingFaceTokenizer tok;
        try (InputStream in = FineTuneExport.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            tok = HuggingFaceTokenizer.newInstance(in, Map.of("truncation", "false", "padding", "false"));
        }
        var sources = json.createArrayNode();
        try (BufferedWriter w = Files.newBufferedWriter(out)) {
            for (GuardDatasets.Set s : List.of(GuardDatasets.deepset(datasets), GuardDatasets.injectionExtra(datasets),
                    GuardDatasets.benignInstructions(datasets), GuardDatasets.xstest(datasets), GuardDatasets.doNotAnswer(datasets))) {
                sources.addObject().put("name", s.name()).put("file", s.file()).put("sha256", s.sha256())
                        .put("training_rows", s.training().size()).put("held_out_rows", s.heldOut().size());
                for (LabeledText t : s.rows()) {
                    int inj = switch (s.name()) {
                        case "deepset", "injection-extra" -> t.label();
                        default -> 0;
                    };
                    int harm = switch (s.name()) {
                        case "do-not-answer", "xstest" -> t.label();
                        case "benign-instructions" -> 0;
                        default -> t.label() == 0 ? 0 : -1;
                    };
                    boolean held = HeldOutSplit.heldOut(t.text());
                    write(w, json, tok, t.text(), s.name(), held, inj, harm, t.category(), false);
                    shared.add(t.text());
                    if (held) heldOut.add(t.text());
                }
            }
            BenignQuestions q = BenignQuestions.load(datasets.resolve(BenignQuestions.FILE));
            sources.addObject().put("name", "squad-questions").put("file", BenignQuestions.FILE)
                    .put("sha256", GuardDatasets.sha256(datasets.resolve(BenignQuestions.FILE)))
                    .put("training_rows", 2000).put("held_out_rows", q.heldOut(5).size());
            for (String text : q.training(2000)) write(w, json, tok, text, "squad", false, 0, 0, null, false);
            for (String text : q.heldOut(5)) write(w, json, tok, text, "squad", true, 0, 0, null, false);
            shared.addAll(q.trainingSide());
            shared.addAll(q.heldOut());
            heldOut.addAll(q.heldOut());
            if (extra != null) {
                ExtraRows.Result r = new ExtraRows(shared, heldOut).filter(ExtraRows.read(extra));
                String sha = GuardDatasets.sha256(extra);
                r.counts().forEach((source, c) -> {
                    ObjectNode n = sources.addObject().put("name", source).put("file", extra.getFileName().toString())
                            .put("sha256", sha).put("training_rows", c[1]).put("held_out_rows", 0).put("extra", true);
                    for (int i = 0; i < c.length; i++) n.put(ExtraRows.Result.COLUMNS.get(i), c[i]);
                    System.out.println("extra " + source + ": " + n);
                });
                for (ExtraRows.Row row : r.kept()) write(w, json, tok, row.text(), row.source(), false, row.inj(), row.harm(), null, true);
            }
        }
        json.writerWithDefaultPrettyPrinter().writeValue(Path.of(out + ".sources.json").toFile(), sources);
    }

    private static void write(BufferedWriter w, ObjectMapper json, HuggingFaceTokenizer tok, String text, String set,
                              boolean heldOut, int inj, int harm, String category, boolean extra) throws Exception {
        ObjectNode n = json.createObjectNode();
        n.put("text", text);
        n.put("set", set);
        n.put("held_out", heldOut);
        n.put("inj", inj);
        n.put("harm", harm);
        if (category != null) n.put("category", category);
        if (extra) n.put("extra", true);
        var ids = n.putArray("ids");
        for (long id : tok.encode(text, true, false).getIds()) ids.add(id);
        w.write(json.writeValueAsString(n));
        w.newLine();
    }
}
