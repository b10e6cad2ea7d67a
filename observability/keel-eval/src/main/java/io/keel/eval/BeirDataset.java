package io.keel.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keel.core.error.KeelException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset in BEIR's layout: {@code corpus.jsonl}, {@code queries.jsonl} and {@code qrels/test.tsv}
 * ({@code query-id  corpus-id  score}, with a header line).
 *
 * @param queries test queries by id (only those that have relevance judgements)
 * @param qrels   query id to (document id to graded relevance)
 * @param others  queries without test judgements, used to warm up before latency is measured
 */
public record BeirDataset(Path dir, Path corpus, Map<String, String> queries, Map<String, Map<String, Integer>> qrels,
                          List<String> others) {

    public static BeirDataset load(Path dir) {
        Path corpus = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve("test.tsv");
        for (Path p : List.of(corpus, queriesFile, qrelsFile)) {
            if (!Files.isRegularFile(p)) {
                throw KeelException.invalid(dir + " is not a BEIR dataset: " + p.getFileName() + " is missing "
                        + "(expected corpus.jsonl, queries.jsonl and qrels/test.tsv)");
            }
        }
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(qrelsFile, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (first && line.startsWith("query-id")) {
                    first = false;
                    continue;
                }
                first = false;
                if (line.isBlank()) continue;
                String[] f = line.split("\t");
                qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> queries = new LinkedHashMap<>();
        List<String> others = new java.util.ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(queriesFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                JsonNode n = json.readTree(line);
                String id = n.get("_id").asText();
                if (qrels.containsKey(id)) queries.put(id, n.get("text").asText());
                else others.add(n.get("text").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BeirDataset(dir, corpus, queries, qrels, others);
    }
}
