package io.keel.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.embed.onnx.OnnxEmbedder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The experiment behind the default thresholds (docs/quality.md), on public data in {@code ../shared/datasets}. Opt-in:
 * {@code ./mvnw -B -pl observability/keel-quality test -Dtest=QualityCalibrationTest -Dkeel.quality.calibrate=true}; prints a report
 * and asserts nothing but that the data separates.
 */
@EnabledIfSystemProperty(named = "keel.quality.calibrate", matches = "true")
class QualityCalibrationTest {
    private static final Path DATA = Path.of(System.getProperty("keel.datasets", "../../../shared/datasets"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OnnxEmbedder embedder;

    @BeforeAll
    static void start() {
        embedder = OnnxEmbedder.createDefault();
    }

    @AfterAll
    static void stop() {
        embedder.close();
    }

    record Para(String article, String text) { }

    record Qa(String question, String answer, int para) { }

    static List<Para> paras = new ArrayList<>();
    static List<Qa> qas = new ArrayList<>();

    static void loadSquad() throws IOException {
        if (!paras.isEmpty()) return;
        JsonNode root = JSON.readTree(DATA.resolve("squad-v1.1-dev/dev-v1.1.json").toFile());
        for (JsonNode article : root.get("data")) {
            for (JsonNode p : article.get("paragraphs")) {
                paras.add(new Para(article.get("title").asText(), p.get("context").asText()));
                JsonNode q = p.get("qas").get(0);
                qas.add(new Qa(q.get("question").asText(), q.get("answers").get(0).get("text").asText(), paras.size() - 1));
            }
        }
    }

    @Test
    void groundedness() throws IOException {
        loadSquad();
        Random rnd = new Random(42);
        List<Qa> sample = new ArrayList<>(qas);
        Collections.shuffle(sample, rnd);
        sample = sample.subList(0, 300);
        // claim: the crowd worker's question (written in their own words) turned into a statement with the answer
        List<String> claims = sample.stream().map(q -> q.question().replaceAll("\\?\\s*$", "") + " " + q.answer() + ".").toList();
        List<Integer> pos = new ArrayList<>();
        List<Integer> hard = new ArrayList<>();
        List<Integer> easy = new ArrayList<>();
        for (Qa q : sample) {
            pos.add(q.para());
            String art = paras.get(q.para()).article();
            int h;
            do h = rnd.nextInt(paras.size()); while (!paras.get(h).article().equals(art) || h == q.para()
                    || paras.get(h).text().contains(q.answer()));
            hard.add(h);
            int e;
            do e = rnd.nextInt(paras.size()); while (paras.get(e).article().equals(art));
            easy.add(e);
        }
        Set<Integer> used = new HashSet<>(pos);
        used.addAll(hard);
        used.addAll(easy);
        Map<Integer, float[]> paraVec = new HashMap<>();
        Map<Integer, List<float[]>> sentVec = new HashMap<>();
        List<Integer> usedList = new ArrayList<>(used);
        List<float[]> pv = embedder.embedAll(usedList.stream().map(i -> paras.get(i).text()).toList());
        for (int i = 0; i < usedList.size(); i++) paraVec.put(usedList.get(i), pv.get(i));
        List<String> allSents = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        for (int i : usedList) {
            List<String> s = Text.sentences(paras.get(i).text());
            ranges.add(new int[]{allSents.size(), allSents.size() + s.size()});
            allSents.addAll(s);
        }
        long t0 = System.nanoTime();
        List<float[]> sv = embedder.embedAll(allSents);
        double msPerSentence = (System.nanoTime() - t0) / 1e6 / allSents.size();
        for (int i = 0; i < usedList.size(); i++) sentVec.put(usedList.get(i), sv.subList(ranges.get(i)[0], ranges.get(i)[1]));
        t0 = System.nanoTime();
        List<float[]> cv = embedder.embedAll(claims);
        double msPerClaim = (System.nanoTime() - t0) / 1e6 / claims.size();
        System.out.printf(Locale.ROOT, "SQuAD groundedness: %d claims, %d paragraphs, %d context sentences; embedAll %.2f ms/context sentence, %.2f ms/claim%n",
                claims.size(), usedList.size(), allSents.size(), msPerSentence, msPerClaim);

        Map<String, double[][]> m = new LinkedHashMap<>(); // measure -> [pos, hard, easy][i]
        for (String k : List.of("overlap", "chunkCos", "sentCos")) m.put(k, new double[3][claims.size()]);
        for (int i = 0; i < claims.size(); i++) {
            Set<String> terms = Text.terms(claims.get(i));
            List<List<Integer>> sets = List.of(pos, hard, easy);
            for (int g = 0; g < 3; g++) {
                int p = sets.get(g).get(i);
                m.get("overlap")[g][i] = Text.containment(terms, Text.terms(paras.get(p).text()));
                m.get("chunkCos")[g][i] = Text.cosine(cv.get(i), paraVec.get(p));
                double best = -1;
                for (float[] s : sentVec.get(p)) best = Math.max(best, Text.cosine(cv.get(i), s));
                m.get("sentCos")[g][i] = best;
            }
        }
        for (var e : m.entrySet()) {
            double[][] d = e.getValue();
            System.out.printf(Locale.ROOT, "%-9s own p10/p50/p90 %s | same-article %s | other-article %s | AUC own-vs-same %.3f own-vs-other %.3f%n",
                    e.getKey(), pct(d[0]), pct(d[1]), pct(d[2]), auc(d[0], d[1]), auc(d[0], d[2]));
        }
        for (double t : new double[]{0.5, 0.6, 0.7, 0.75, 0.8, 0.9}) {
            double[][] d = m.get("overlap");
            System.out.printf(Locale.ROOT, "overlap >= %.2f: own %.3f same %.3f other %.3f%n", t, share(d[0], t), share(d[1], t), share(d[2], t));
        }
        for (double t : new double[]{0.45, 0.5, 0.55, 0.6, 0.65, 0.7}) {
            double[][] d = m.get("sentCos");
            double[][] c = m.get("chunkCos");
            System.out.printf(Locale.ROOT, "cos >= %.2f: sentence own %.3f same %.3f other %.3f | chunk own %.3f same %.3f other %.3f%n",
                    t, share(d[0], t), share(d[1], t), share(d[2], t), share(c[0], t), share(c[1], t), share(c[2], t));
        }
        // Harder: (a) the best of 5 same-article paragraphs without the answer, as a 5-chunk context would be;
        // (b) the claim with another question's answer from the same article, against its own paragraph (a wrong claim
        // that shares nearly all its words with the context: similarity is not entailment).
        List<List<Integer>> five = new ArrayList<>();
        List<String> swapped = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            Qa q = sample.get(i);
            String art = paras.get(q.para()).article();
            List<Integer> f = new ArrayList<>();
            while (f.size() < 5) {
                int h = rnd.nextInt(paras.size());
                if (paras.get(h).article().equals(art) && h != q.para() && !paras.get(h).text().contains(q.answer()) && !f.contains(h)) f.add(h);
            }
            five.add(f);
            String other;
            do other = qas.get(rnd.nextInt(qas.size())).answer(); while (paras.get(q.para()).text().contains(other) || other.equalsIgnoreCase(q.answer()));
            swapped.add(q.question().replaceAll("\\?\\s*$", "") + " " + other + ".");
        }
        Set<Integer> more = new HashSet<>();
        five.forEach(more::addAll);
        more.removeAll(sentVec.keySet());
        List<Integer> moreList = new ArrayList<>(more);
        List<String> moreSents = new ArrayList<>();
        List<int[]> moreRanges = new ArrayList<>();
        for (int i : moreList) {
            List<String> s = Text.sentences(paras.get(i).text());
            moreRanges.add(new int[]{moreSents.size(), moreSents.size() + s.size()});
            moreSents.addAll(s);
        }
        List<float[]> msv = embedder.embedAll(moreSents);
        for (int i = 0; i < moreList.size(); i++) sentVec.put(moreList.get(i), msv.subList(moreRanges.get(i)[0], moreRanges.get(i)[1]));
        List<float[]> swv = embedder.embedAll(swapped);
        double[][] hard5 = new double[2][claims.size()];
        double[][] swap = new double[2][claims.size()];
        for (int i = 0; i < claims.size(); i++) {
            Set<String> terms = Text.terms(claims.get(i));
            double bo = 0, bc = -1;
            for (int p : five.get(i)) {
                bo = Math.max(bo, Text.containment(terms, Text.terms(paras.get(p).text())));
                for (float[] s : sentVec.get(p)) bc = Math.max(bc, Text.cosine(cv.get(i), s));
            }
            hard5[0][i] = bo;
            hard5[1][i] = bc;
            int p = pos.get(i);
            swap[0][i] = Text.containment(Text.terms(swapped.get(i)), Text.terms(paras.get(p).text()));
            double b = -1;
            for (float[] s : sentVec.get(p)) b = Math.max(b, Text.cosine(swv.get(i), s));
            swap[1][i] = b;
        }
        System.out.printf(Locale.ROOT, "5 same-article paragraphs: overlap p10/p50/p90 %s sentCos %s | wrong answer vs own paragraph: overlap %s sentCos %s%n",
                pct(hard5[0]), pct(hard5[1]), pct(swap[0]), pct(swap[1]));
        for (double to : new double[]{0.6, 0.7, 0.8}) {
            for (double tc : new double[]{0.55, 0.6, 0.65, 0.7}) {
                double[] r = new double[3];
                for (int g = 0; g < 3; g++) {
                    int n = 0;
                    for (int i = 0; i < claims.size(); i++) {
                        if (m.get("overlap")[g][i] >= to || m.get("sentCos")[g][i] >= tc) n++;
                    }
                    r[g] = (double) n / claims.size();
                }
                int h5 = 0, sw = 0;
                for (int i = 0; i < claims.size(); i++) {
                    if (hard5[0][i] >= to || hard5[1][i] >= tc) h5++;
                    if (swap[0][i] >= to || swap[1][i] >= tc) sw++;
                }
                System.out.printf(Locale.ROOT, "rule overlap>=%.2f OR sentCos>=%.2f: own %.3f same %.3f other %.3f same-article-x5 %.3f wrong-answer %.3f%n",
                        to, tc, r[0], r[1], r[2], (double) h5 / claims.size(), (double) sw / claims.size());
            }
        }
    }

    @Test
    void relevanceAndDrift() throws IOException {
        loadSquad();
        Map<String, String> corpus = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DATA.resolve("scifact/corpus.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            corpus.put(n.get("_id").asText(), n.get("title").asText() + ". " + n.get("text").asText());
        }
        Map<String, String> queries = new HashMap<>();
        for (String line : Files.readAllLines(DATA.resolve("scifact/queries.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            queries.put(n.get("_id").asText(), n.get("text").asText());
        }
        List<String[]> qrels = new ArrayList<>();
        for (String line : Files.readAllLines(DATA.resolve("scifact/qrels/test.tsv")).subList(1, 340)) qrels.add(line.split("\t"));
        Random rnd = new Random(7);
        List<String> ids = new ArrayList<>(corpus.keySet());
        List<String> q = new ArrayList<>();
        List<String> rel = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        for (String[] r : qrels) {
            q.add(queries.get(r[0]));
            rel.add(corpus.get(r[1]));
            neg.add(corpus.get(ids.get(rnd.nextInt(ids.size()))));
        }
        List<float[]> qv = embedder.embedAll(q);
        List<float[]> rv = embedder.embedAll(rel);
        List<float[]> nv = embedder.embedAll(neg);
        double[][] cos = new double[2][q.size()];
        double[][] cov = new double[2][q.size()];
        for (int i = 0; i < q.size(); i++) {
            cos[0][i] = Text.cosine(qv.get(i), rv.get(i));
            cos[1][i] = Text.cosine(qv.get(i), nv.get(i));
            Set<String> t = Text.terms(q.get(i));
            cov[0][i] = Text.containment(t, Text.terms(rel.get(i)));
            cov[1][i] = Text.containment(t, Text.terms(neg.get(i)));
        }
        System.out.printf(Locale.ROOT, "SciFact weak hits: %d (claim, relevant abstract) pairs vs random abstract%n", q.size());
        System.out.printf(Locale.ROOT, "cosine   relevant p10/p50/p90 %s | random %s | AUC %.3f%n", pct(cos[0]), pct(cos[1]), auc(cos[0], cos[1]));
        System.out.printf(Locale.ROOT, "coverage relevant p10/p50/p90 %s | random %s | AUC %.3f%n", pct(cov[0]), pct(cov[1]), auc(cov[0], cov[1]));
        for (double t : new double[]{0.2, 0.25, 0.3, 0.35, 0.4}) {
            System.out.printf(Locale.ROOT, "cos < %.2f weak: relevant %.3f random %.3f%n", t, 1 - share(cos[0], t), 1 - share(cos[1], t));
        }
        for (double t : new double[]{0.2, 0.25, 0.34, 0.4, 0.5}) {
            System.out.printf(Locale.ROOT, "coverage < %.2f weak: relevant %.3f random %.3f%n", t, 1 - share(cov[0], t), 1 - share(cov[1], t));
        }
        // SQuAD too: question vs its own paragraph / another article's paragraph
        Random r2 = new Random(11);
        List<Qa> sq = new ArrayList<>(qas);
        Collections.shuffle(sq, r2);
        sq = sq.subList(0, 300);
        List<float[]> sqv = embedder.embedAll(sq.stream().map(Qa::question).toList());
        List<float[]> spv = embedder.embedAll(sq.stream().map(x -> paras.get(x.para()).text()).toList());
        List<String> sneg = new ArrayList<>();
        for (Qa x : sq) {
            int e;
            do e = r2.nextInt(paras.size()); while (paras.get(e).article().equals(paras.get(x.para()).article()));
            sneg.add(paras.get(e).text());
        }
        List<float[]> snv = embedder.embedAll(sneg);
        double[][] scos = new double[2][sq.size()];
        double[][] scov = new double[2][sq.size()];
        for (int i = 0; i < sq.size(); i++) {
            scos[0][i] = Text.cosine(sqv.get(i), spv.get(i));
            scos[1][i] = Text.cosine(sqv.get(i), snv.get(i));
            Set<String> t = Text.terms(sq.get(i).question());
            scov[0][i] = Text.containment(t, Text.terms(paras.get(sq.get(i).para()).text()));
            scov[1][i] = Text.containment(t, Text.terms(sneg.get(i)));
        }
        System.out.printf(Locale.ROOT, "SQuAD cosine   own p10/p50/p90 %s | other %s | AUC %.3f%n", pct(scos[0]), pct(scos[1]), auc(scos[0], scos[1]));
        System.out.printf(Locale.ROOT, "SQuAD coverage own p10/p50/p90 %s | other %s | AUC %.3f%n", pct(scov[0]), pct(scov[1]), auc(scov[0], scov[1]));
        for (double t : new double[]{0.2, 0.25, 0.3, 0.35}) {
            System.out.printf(Locale.ROOT, "SQuAD cos < %.2f weak: own %.3f other %.3f%n", t, 1 - share(scos[0], t), 1 - share(scos[1], t));
        }
        for (double t : new double[]{0.25, 0.34, 0.4, 0.5}) {
            System.out.printf(Locale.ROOT, "SQuAD coverage < %.2f weak: own %.3f other %.3f%n", t, 1 - share(scov[0], t), 1 - share(scov[1], t));
        }

        // Drift: corpus centroids of 1,000 SciFact abstracts and 1,000 SQuAD paragraphs
        Collections.shuffle(ids, new Random(3));
        float[] sciCentroid = DriftMonitor.centroid(embedder.embedAll(ids.subList(0, 1000).stream().map(corpus::get).toList()));
        List<Para> ps = new ArrayList<>(paras);
        Collections.shuffle(ps, new Random(5));
        float[] squadCentroid = DriftMonitor.centroid(embedder.embedAll(ps.subList(0, 1000).stream().map(Para::text).toList()));
        List<String> sciClaims = new ArrayList<>(queries.values());
        Collections.shuffle(sciClaims, new Random(9));
        List<float[]> sciQ = embedder.embedAll(sciClaims.subList(0, 400));
        List<float[]> squadQ = new ArrayList<>(sqv);
        squadQ.addAll(embedder.embedAll(qas.subList(0, 100).stream().map(Qa::question).toList()));
        List<String> squadShuffled = new ArrayList<>(qas.stream().map(Qa::question).toList());
        Collections.shuffle(squadShuffled, new Random(13));
        List<float[]> squadQ2 = embedder.embedAll(squadShuffled.subList(0, 500));
        for (int hl : new int[]{50, 100, 200}) {
            System.out.printf(Locale.ROOT, "half-life %d max drift after 20 queries, in-domain: scifact %.3f, squad (500 shuffled) %.3f; cross-domain min: squad-on-scifact %.3f scifact-on-squad %.3f%n",
                    hl, maxDrift(hl, sciQ, sciCentroid, true), maxDrift(hl, squadQ2, squadCentroid, true),
                    maxDrift(hl, squadQ2, sciCentroid, false), maxDrift(hl, sciQ, squadCentroid, false));
        }
        for (int hl : new int[]{50, 100, 200}) {
            System.out.printf(Locale.ROOT, "drift half-life %d: scifact-queries vs scifact-corpus %s | squad-queries vs scifact-corpus %s | squad-queries vs squad-corpus %s | scifact-queries vs squad-corpus %s%n",
                    hl, driftCurve(hl, sciQ, sciCentroid), driftCurve(hl, squadQ, sciCentroid), driftCurve(hl, squadQ, squadCentroid), driftCurve(hl, sciQ, squadCentroid));
            // switch: 400 in-domain, then out-of-domain; queries after the switch until drift > thresholds
            for (double th : new double[]{0.25, 0.4, 0.6}) {
                DriftMonitor d = new DriftMonitor(hl, th, 20);
                d.setCorpusCentroid(sciCentroid);
                sciQ.forEach(d::observe);
                boolean falseAlarm = d.alerting();
                int n = 0;
                for (float[] v : squadQ) {
                    d.observe(v);
                    n++;
                    if (d.alerting()) break;
                }
                System.out.printf(Locale.ROOT, "  threshold %.2f: alerting on in-domain %s; squad queries after switch until alert: %s%n", th, falseAlarm, d.alerting() ? n : ">" + n);
            }
        }
    }

    private static double maxDrift(int halfLife, List<float[]> stream, float[] centroid, boolean max) {
        DriftMonitor d = new DriftMonitor(halfLife, 0.25, 20);
        d.setCorpusCentroid(centroid);
        double best = max ? 0 : 2;
        for (float[] v : stream) {
            d.observe(v);
            double x = d.drift();
            if (!Double.isNaN(x)) best = max ? Math.max(best, x) : Math.min(best, x);
        }
        return best;
    }

    private static String driftCurve(int halfLife, List<float[]> stream, float[] centroid) {
        DriftMonitor d = new DriftMonitor(halfLife, 0.25, 20);
        d.setCorpusCentroid(centroid);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < stream.size(); i++) {
            d.observe(stream.get(i));
            if (i + 1 == 20 || i + 1 == 100 || i + 1 == 400) sb.append(String.format(Locale.ROOT, "@%d=%.3f ", i + 1, d.drift()));
        }
        return sb.toString().strip();
    }

    private static String pct(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", s[(int) (0.1 * s.length)], s[s.length / 2], s[(int) (0.9 * s.length)]);
    }

    private static double share(double[] a, double t) {
        int n = 0;
        for (double v : a) if (v >= t) n++;
        return (double) n / a.length;
    }

    private static double auc(double[] pos, double[] neg) {
        double wins = 0;
        for (double p : pos) for (double n : neg) wins += p > n ? 1 : p == n ? 0.5 : 0;
        return wins / ((double) pos.length * neg.length);
    }
}
