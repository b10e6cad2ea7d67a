package io.keel.test;

import io.keel.core.document.Block;
import io.keel.core.document.Chunk;
import io.keel.core.document.Document;
import io.keel.core.query.Filters;
import io.keel.core.spi.CollectionIndex;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The random documents, chunks, vectors and filters of {@link CollectionIndexContractTest}. Documents spread over three
 * tenants (70/25/5 %), ACLs of up to two principals or none, a {@code team} metadata term and two source folders;
 * each chunk starts with a word unique to it ({@code u<serial>}) followed by words of a small vocabulary.
 */
final class CollectionIndexCorpus {
    static final String[] PRINCIPALS = {"alice", "bob", "carol", "group:eng"};
    static final String[] TEAMS = {"red", "blue", "green"};
    static final int VOCABULARY = 40;
    static final int IDS = 60;

    private final Random random;
    private final Clock clock;
    private final int dims;
    private int serial;

    CollectionIndexCorpus(Random random, Clock clock, int dims) {
        this.random = random;
        this.clock = clock;
        this.dims = dims;
    }

    /** How many chunks were made: the unique words are {@code u0} to {@code u<serial-1>}. */
    int serial() {
        return serial;
    }

    Document document(String id) {
        int t = random.nextInt(100);
        String tenant = t < 70 ? "acme" : t < 95 ? "globex" : "initech";
        List<String> acl = new ArrayList<>();
        if (random.nextInt(10) >= 4) {
            for (int i = 0, n = 1 + random.nextInt(2); i < n; i++) {
                String p = PRINCIPALS[random.nextInt(PRINCIPALS.length)];
                if (!acl.contains(p)) acl.add(p);
            }
        }
        String source = "src/" + (random.nextBoolean() ? "a" : "b") + "/" + id + ".md";
        return new Document(id, "Notes", source, "sha-" + Long.toHexString(random.nextLong()), clock.instant(),
                "text/markdown", Map.of("team", TEAMS[random.nextInt(TEAMS.length)]), tenant, acl, List.of(Block.paragraph("unused")));
    }

    /** A chunk whose first word is unique to it ({@code u<serial>}), followed by common words. */
    Chunk chunk(String documentId, int ordinal) {
        StringBuilder text = new StringBuilder("u").append(serial++);
        for (int i = 0, n = 4 + random.nextInt(5); i < n; i++) text.append(" w").append(random.nextInt(VOCABULARY));
        return new Chunk(Chunk.idOf(documentId, ordinal), documentId, ordinal, text.toString(), List.of(), 12);
    }

    Filters randomFilters() {
        return switch (random.nextInt(7)) {
            case 0, 1 -> Filters.NONE;
            case 2 -> Filters.of(Map.of("tenant", pick(new String[] {"acme", "globex", "initech"})));
            case 3 -> Filters.of(Map.of("acl", pick(PRINCIPALS)));
            case 4 -> Filters.of(Map.of("team", pick(TEAMS)));
            case 5 -> Filters.of(Map.of("tenant", pick(new String[] {"globex", "initech"}), "acl", pick(PRINCIPALS)));
            default -> Filters.of(Map.of("source", List.of("src/a/doc-" + random.nextInt(IDS) + ".md", "src/b/doc-" + random.nextInt(IDS) + ".md")));
        };
    }

    private List<String> pick(String[] values) {
        List<String> out = new ArrayList<>();
        out.add(values[random.nextInt(values.length)]);
        if (random.nextBoolean()) {
            String second = values[random.nextInt(values.length)];
            if (!out.contains(second)) out.add(second);
        }
        return out;
    }

    void writeGeneration(CollectionIndex target, int generation, int docs, int chunks) {
        for (int d = 0; d < docs; d++) {
            String id = "gen-doc-" + d;
            List<Chunk> cs = new ArrayList<>();
            List<float[]> vs = new ArrayList<>();
            for (int c = 0; c < chunks; c++) {
                cs.add(new Chunk(Chunk.idOf(id, c), id, c, "common g" + generation + " d" + d + " c" + c, List.of(), 4));
                vs.add(randomUnit(random, dims));
            }
            Document doc = new Document(id, "", "gen/" + id, "hash-" + generation, clock.instant(), "text/plain", Map.of(),
                    null, List.of(), List.of(Block.paragraph("unused")));
            target.upsert(doc, cs, vs);
        }
    }

    static int generationOf(String text) {
        for (String w : text.split(" ")) if (w.startsWith("g")) return Integer.parseInt(w.substring(1));
        throw new AssertionError("no generation in '" + text + "'");
    }

    static float[] randomUnit(Random random) {
        return randomUnit(random, CollectionIndexContractTest.DIMS);
    }

    static float[] randomUnit(Random random, int dims) {
        float[] v = new float[dims];
        for (int i = 0; i < dims; i++) v[i] = (float) random.nextGaussian();
        return CollectionIndexReference.unit(v);
    }

    float[] perturb(float[] v, double noise) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] += (float) (noise * random.nextGaussian());
        return CollectionIndexReference.unit(out);
    }
}
