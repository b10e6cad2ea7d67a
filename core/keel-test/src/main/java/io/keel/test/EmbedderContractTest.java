package io.keel.test;

import io.keel.core.spi.Embedder;
import io.keel.core.spi.EmbeddingModelInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link Embedder} backend owes Keel. A backend module extends this class and says how to create
 * its embedder (a remote one pointed at a protocol-faithful fake server). Inputs are random but seeded: the seed is
 * {@code -Dkeel.seed=N} when given, else a fixed one, and every failure message names it so a failure can be replayed.
 *
 * <p>One embedder serves the whole class ({@link #createEmbedder()} is called once, plus once more by the close test);
 * a subclass that starts a fake server does so in its constructor or a {@code @BeforeAll} of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EmbedderContractTest {
    private static final String[] WORDS = ("the a of retrieval index vector query document model server batch token "
            + "keel lucene chunk answer citation policy invoice contract payment customer refund latency replica "
            + "embedding normalise dimension window truncate unicode").split(" ");
    private static final String[] EXOTIC = {"naïve café", "日本語のテキストです", "Ελληνικά γράμματα", "مرحبا بالعالم",
            "emoji 🚀🔥 and a family 👩‍👩‍👧", "math ∑∫√∞ ≠ ≤", "zero\u200Bwidth", "tab\tand\nnewline", "ünïcödé ßtraße"};

    protected final long seed = Long.getLong("keel.seed", 20261206L);
    protected Embedder embedder;

    /** A new embedder of the backend under test. */
    protected abstract Embedder createEmbedder();

    /**
     * How close (cosine) a text's vector from {@link Embedder#embedAll} must be to its vector from
     * {@link Embedder#embedQuery}: 1e-4 unless the backend's batches shift vectors slightly (padding, float order).
     */
    protected double tolerance() {
        return 1e-4;
    }

    @BeforeAll
    void createContractEmbedder() {
        embedder = createEmbedder();
    }

    @AfterAll
    void closeContractEmbedder() {
        if (embedder != null) embedder.close();
    }

    @Test
    void describesItsModel() {
        EmbeddingModelInfo info = embedder.info();
        assertThat(info.id()).isNotBlank();
        assertThat(info.checksum()).isNotBlank();
        assertThat(info.fingerprint()).startsWith(info.id() + "@");
        assertThat(info.dimensions()).isPositive();
        assertThat(embedder.tokenCounter().maxTokens()).isEqualTo(info.maxTokens());
        assertThat(embedder.info()).isEqualTo(info);
    }

    @Test
    void vectorsAreUnitLengthWithTheModelsDimension() {
        Random random = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 24; i++) texts.add(randomText(random, 1 + random.nextInt(60)));
        List<float[]> all = embedder.embedAll(texts);
        assertThat(all).as("seed %d", seed).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertUnit(all.get(i), texts.get(i));
            assertUnit(embedder.embedQuery(texts.get(i)), texts.get(i));
        }
    }

    @Test
    void embedAllKeepsInputOrderAndAgreesWithEmbedQuery() {
        Random random = new Random(seed + 1);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 41; i++) texts.add(randomText(random, 1 + random.nextInt(i % 5 == 0 ? 120 : 20)));
        texts.add(texts.get(3)); // a duplicate gets the same vector in its own place
        List<float[]> all = embedder.embedAll(texts);
        assertThat(all).as("seed %d", seed).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            float[] one = embedder.embedQuery(texts.get(i));
            assertThat(cosine(all.get(i), one)).as("text %d of seed %d: %s", i, seed, texts.get(i))
                    .isGreaterThanOrEqualTo(1 - tolerance());
        }
        assertThat(cosine(all.getLast(), all.get(3))).isGreaterThanOrEqualTo(1 - tolerance());
        // Different texts get different vectors, so a backend that returned one vector for all could not pass.
        for (int i = 1; i < 10; i++) {
            if (texts.get(i).equals(texts.get(0))) continue;
            assertThat(cosine(all.get(0), all.get(i))).as("texts 0 and %d of seed %d", i, seed).isLessThan(0.9999);
        }
    }

    @Test
    void anEmptyListGivesAnEmptyList() {
        assertThat(embedder.embedAll(List.of())).isEmpty();
    }

    @Test
    void embedsUnicodeEmojiAndEmptyText() {
        List<String> texts = new ArrayList<>(List.of(EXOTIC));
        texts.add("");
        List<float[]> all = embedder.embedAll(texts);
        assertThat(all).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertUnit(all.get(i), texts.get(i));
            assertThat(cosine(all.get(i), embedder.embedQuery(texts.get(i)))).as(texts.get(i))
                    .isGreaterThanOrEqualTo(1 - tolerance());
            assertThat(embedder.tokenCounter().countTokens(texts.get(i))).isNotNegative();
        }
    }

    @Test
    void overLongTextIsTruncatedNotRefused() {
        Random random = new Random(seed + 2);
        String longText = randomText(random, embedder.tokenCounter().maxTokens() * 20);
        assertThat(embedder.tokenCounter().countTokens(longText)).isGreaterThan(embedder.tokenCounter().maxTokens());
        assertUnit(embedder.embedQuery(longText), "long text");
        List<float[]> all = embedder.embedAll(List.of("short one", longText, "short two"));
        assertThat(all).hasSize(3);
        all.forEach(v -> assertUnit(v, "long text batch"));
    }

    @Test
    void tokenCountsGrowWithTheText() {
        Random random = new Random(seed + 3);
        String[] words = randomText(random, 200).split(" ");
        int previous = 0;
        // Prefixes end between words: cutting inside a word may legitimately split it into more pieces.
        for (int end = 0; end <= words.length; end += 7) {
            int n = embedder.tokenCounter().countTokens(String.join(" ", java.util.Arrays.copyOf(words, end)));
            assertThat(n).as("first %d words, seed %d", end, seed).isGreaterThanOrEqualTo(previous);
            previous = n;
        }
        assertThat(previous).isGreaterThan(embedder.tokenCounter().countTokens("one"));
    }

    @Test
    void concurrentCallersGetTheSameVectorsAsOneCaller() throws Exception {
        Random random = new Random(seed + 4);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 32; i++) texts.add(randomText(random, 3 + random.nextInt(30)));
        List<float[]> expected = new ArrayList<>();
        for (String t : texts) expected.add(embedder.embedQuery(t));
        int threads = 6;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 4; round++) {
                        int i = (offset * 5 + round * 3) % texts.size();
                        float[] q = embedder.embedQuery(texts.get(i));
                        assertThat(cosine(q, expected.get(i))).isGreaterThanOrEqualTo(1 - tolerance());
                        List<String> slice = texts.subList(i / 2, i / 2 + 1 + (offset + round) % 9);
                        List<float[]> all = embedder.embedAll(slice);
                        for (int j = 0; j < slice.size(); j++) {
                            assertThat(cosine(all.get(j), expected.get(i / 2 + j))).as("thread %d seed %d", offset, seed)
                                    .isGreaterThanOrEqualTo(1 - tolerance());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        }
    }

    @Test
    void closeCanBeCalledTwice() {
        Embedder other = createEmbedder();
        assertUnit(other.embedQuery("closing soon"), "closing soon");
        other.close();
        other.close();
    }

    /** Random words, some capitalised or punctuated, with an occasional non-ASCII phrase. */
    protected static String randomText(Random random, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) b.append(' ');
            if (random.nextInt(25) == 0) {
                b.append(EXOTIC[random.nextInt(EXOTIC.length)]);
                continue;
            }
            String w = WORDS[random.nextInt(WORDS.length)];
            b.append(random.nextInt(8) == 0 ? Character.toUpperCase(w.charAt(0)) + w.substring(1) : w);
            if (random.nextInt(10) == 0) b.append(random.nextBoolean() ? "," : ".");
        }
        return b.toString();
    }

    protected void assertUnit(float[] v, String text) {
        assertThat(v).as("vector of '%s' (seed %d)", abbreviate(text), seed).hasSize(embedder.info().dimensions());
        double norm = 0;
        for (float f : v) {
            assertThat(Float.isFinite(f)).as("finite components for '%s'", abbreviate(text)).isTrue();
            norm += (double) f * f;
        }
        assertThat(Math.sqrt(norm)).as("L2 norm of the vector of '%s' (seed %d)", abbreviate(text), seed)
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    protected static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
