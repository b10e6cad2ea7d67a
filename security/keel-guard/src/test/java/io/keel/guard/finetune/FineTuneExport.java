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
import java.util.List;
import java.util.Map;

/**
 * Writes every guard data set, tokenized with the MiniLM tokenizer, as JSON lines for the fine-tuning script
 * ({@code security/keel-guard/train/finetune.py}): text, set, split, injection label, harm label (-1: not used for
 * that head), category and token ids (not truncated); and beside it ({@code <out>.sources.json}) every data file with
 * its SHA-256 and row counts, which the script copies into the model card.
 *
 * <pre>
 * java -cp &lt;keel-guard test class path&gt; io.keel.guard.finetune.FineTuneExport ../shared/datasets target/guard-data.jsonl
 * </pre>
 */
public final class FineTuneExport {
    public static void main(String[] args) throws Exception {
        Path datasets = Path.of(args[0]);
        Path out = Path.of(args[1]);
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
                    write(w, json, tok, t.text(), s.name(), HeldOutSplit.heldOut(t.text()), inj, harm, t.category());
                }
            }
            BenignQuestions q = BenignQuestions.load(datasets.resolve(BenignQuestions.FILE));
            sources.addObject().put("name", "squad-questions").put("file", BenignQuestions.FILE)
                    .put("sha256", GuardDatasets.sha256(datasets.resolve(BenignQuestions.FILE)))
                    .put("training_rows", 2000).put("held_out_rows", q.heldOut(5).size());
            for (String text : q.training(2000)) write(w, json, tok, text, "squad", false, 0, 0, null);
            for (String text : q.heldOut(5)) write(w, json, tok, text, "squad", true, 0, 0, null);
        }
        json.writerWithDefaultPrettyPrinter().writeValue(Path.of(out + ".sources.json").toFile(), sources);
    }

    private static void write(BufferedWriter w, ObjectMapper json, HuggingFaceTokenizer tok, String text, String set,
                              boolean heldOut, int inj, int harm, String category) throws Exception {
        ObjectNode n = json.createObjectNode();
        n.put("text", text);
        n.put("set", set);
        n.put("held_out", heldOut);
        n.put("inj", inj);
        n.put("harm", harm);
        if (category != null) n.put("category", category);
        var ids = n.putArray("ids");
        for (long id : tok.encode(text, true, false).getIds()) ids.add(id);
        w.write(json.writeValueAsString(n));
        w.newLine();
    }
}
