package io.keel.guard.policy;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.core.spi.Embedder;
import io.keel.guard.Detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Denied topics from a policy: keywords (whole words or phrases, case-insensitive), regular expressions, and
 * embedding similarity to example phrases. A match reports {@code TOPIC:<name>}. Thread-safe.
 */
public final class TopicDetector implements Detector {
    public static final String TYPE_PREFIX = "TOPIC:";

    private record Compiled(GuardPolicy.Topic topic, List<Pattern> keywordPatterns, List<float[]> exampleVectors) {
    }

    private final List<Compiled> topics;
    private final Embedder embedder;

    /**
     * @param embedder needed only when some topic lists example phrases; their vectors are computed here, once
     * @throws IllegalArgumentException if a topic has examples and {@code embedder} is null
     */
    public TopicDetector(List<GuardPolicy.Topic> topics, Embedder embedder) {
        this.embedder = embedder;
        List<Compiled> compiled = new ArrayList<>();
        for (GuardPolicy.Topic t : topics) {
            List<Pattern> kw = t.keywords().stream()
                    .map(k -> Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k.toLowerCase(Locale.ROOT)) + "(?![\\p{L}\\p{N}])"))
                    .toList();
            List<float[]> vectors = List.of();
            if (!t.examples().isEmpty()) {
                if (embedder == null) throw new IllegalArgumentException("topic '" + t.name() + "' has example phrases but no embedder was given");
                vectors = embedder.embedAll(t.examples());
            }
            compiled.add(new Compiled(t, kw, vectors));
        }
        this.topics = List.copyOf(compiled);
    }

    @Override
    public String name() {
        return "topics";
    }

    @Override
    public List<Finding> detect(String text, Direction direction) {
        List<Finding> out = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        float[] vector = null;
        for (Compiled c : topics) {
            String type = TYPE_PREFIX + c.topic().name();
            for (Pattern p : c.keywordPatterns()) {
                Matcher m = p.matcher(lower);
                if (m.find()) out.add(new Finding(type, m.start(), m.end(), 1.0, "topics:keyword"));
            }
            for (Pattern p : c.topic().patterns()) {
                Matcher m = p.matcher(text);
                if (m.find()) out.add(new Finding(type, m.start(), m.end(), 1.0, "topics:pattern"));
            }
            if (!c.exampleVectors().isEmpty()) {
                if (vector == null) vector = embedder.embedQuery(text);
                double best = 0;
                for (float[] e : c.exampleVectors()) best = Math.max(best, dot(vector, e));
                if (best >= c.topic().similarity()) out.add(new Finding(type, 0, text.length(), best, "topics:similarity"));
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
