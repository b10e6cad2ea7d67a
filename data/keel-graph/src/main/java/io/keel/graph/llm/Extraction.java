package io.keel.graph.llm;

import io.keel.graph.extract.EntityExtractor.Surface;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a chat model found in one chunk: the entities it names, and the pairs of them the chunk relates. As the
 * extractor's sentences ({@link #groups}): each relation is a group of two (an edge of sentence weight), each entity
 * in no relation a group of one (a mention only).
 *
 * @param entities  names as written in the chunk
 * @param relations pairs of names, each a list of two
 */
public record Extraction(List<String> entities, List<List<String>> relations) {
    public Extraction {
        entities = List.copyOf(entities);
        relations = relations.stream().map(List::copyOf).toList();
    }

    public List<List<Surface>> groups() {
        Map<String, Surface> names = new LinkedHashMap<>();
        for (String e : entities) add(names, e);
        List<List<Surface>> out = new ArrayList<>();
        Set<String> related = new LinkedHashSet<>();
        for (List<String> pair : relations) {
            Surface a = add(names, pair.get(0));
            Surface b = add(names, pair.get(1));
            if (a == null || b == null || a.key().equals(b.key())) continue;
            out.add(List.of(a, b));
            related.add(a.key());
            related.add(b.key());
        }
        for (Surface s : names.values()) if (!related.contains(s.key())) out.add(List.of(s));
        return out;
    }

    private static Surface add(Map<String, Surface> names, String name) {
        Surface s = Surface.of(name);
        if (!s.isName()) return null;
        return names.computeIfAbsent(s.key(), k -> s);
    }
}
