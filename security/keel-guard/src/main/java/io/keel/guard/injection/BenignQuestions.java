package io.keel.guard.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Ordinary user questions from SQuAD v1.1 dev, the benign side the deepset set lacks: its benign prompts are few
 * (343) and unlike what a RAG deployment mostly receives, and a classifier trained on it alone flagged about 3 % of
 * plain encyclopedic questions. The articles are split by position: questions of even-numbered articles may be
 * used for training, those of odd-numbered articles only for measuring the false-positive rate, so no article
 * (and no near-duplicate question) is on both sides.
 */
public record BenignQuestions(List<String> trainingSide, List<String> heldOut) {
    /** SQuAD dev, relative to the datasets folder. */
    public static final String FILE = "squad-v1.1-dev/dev-v1.1.json";

    public BenignQuestions {
        trainingSide = List.copyOf(trainingSide);
        heldOut = List.copyOf(heldOut);
    }

    public static BenignQuestions load(Path squadDevJson) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(squadDevJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + squadDevJson, e);
        }
        List<String> training = new ArrayList<>();
        List<String> heldOut = new ArrayList<>();
        int article = 0;
        for (JsonNode a : root.path("data")) {
            List<String> side = article++ % 2 == 0 ? training : heldOut;
            for (JsonNode p : a.path("paragraphs")) for (JsonNode q : p.path("qas")) side.add(q.path("question").asText());
        }
        if (training.isEmpty() || heldOut.isEmpty()) throw new IllegalArgumentException(squadDevJson + " holds no SQuAD questions");
        return new BenignQuestions(training, heldOut);
    }

    /** {@code n} training-side questions, evenly spaced through the file (deterministic). */
    public List<String> training(int n) {
        if (n <= 0) return List.of();
        List<String> out = new ArrayList<>(n);
        double step = (double) trainingSide.size() / n;
        for (int i = 0; i < n && i < trainingSide.size(); i++) out.add(trainingSide.get((int) (i * step)));
        return out;
    }

    /** Every {@code stride}-th held-out question. */
    public List<String> heldOut(int stride) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < heldOut.size(); i += stride) out.add(heldOut.get(i));
        return out;
    }
}
