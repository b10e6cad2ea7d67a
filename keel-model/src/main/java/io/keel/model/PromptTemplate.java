package io.keel.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * A chat prompt with a system part and a user part, and {@code {{name}}} placeholders. Its version is
 * {@code name@} plus the first 12 hex digits of the SHA-256 of its text, so any edit yields a new version and answers
 * record exactly which text produced them.
 *
 * <p>Text format: a {@code ### system} line, the system prompt, a {@code ### user} line, the user prompt.
 */
public final class PromptTemplate {
    private final String name;
    private final String system;
    private final String user;
    private final String version;

    public PromptTemplate(String name, String text) {
        this.name = Objects.requireNonNull(name, "name");
        String t = text.replace("\r\n", "\n");
        int s = t.indexOf("### system\n");
        int u = t.indexOf("### user\n");
        if (s < 0 || u < 0 || u < s) {
            throw new IllegalArgumentException("prompt template '" + name + "' needs a '### system' line followed by a '### user' line");
        }
        this.system = t.substring(s + "### system\n".length(), u).strip();
        this.user = t.substring(u + "### user\n".length()).strip();
        this.version = name + "@" + sha256(t).substring(0, 12);
    }

    /** The template shipped with Keel for grounded answers with numbered citations. */
    public static PromptTemplate ragAnswer() {
        return fromResource("rag-answer", "/io/keel/model/prompts/rag-answer.txt");
    }

    public static PromptTemplate fromResource(String name, String resource) {
        try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("prompt template resource " + resource + " is missing");
            return new PromptTemplate(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read prompt template " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** {@code name@hash12}, e.g. {@code rag-answer@3f2a9c1b7d04}. */
    public String version() {
        return version;
    }

    public String system(Map<String, String> values) {
        return render(system, values);
    }

    public String user(Map<String, String> values) {
        return render(user, values);
    }

    private static String render(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 256);
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf("{{", i);
            if (open < 0) break;
            int close = template.indexOf("}}", open);
            if (close < 0) break;
            out.append(template, i, open);
            String key = template.substring(open + 2, close).strip();
            String v = values.get(key);
            if (v == null) throw new IllegalArgumentException("prompt placeholder {{" + key + "}} has no value");
            out.append(v);
            i = close + 2;
        }
        return out.append(template, i, template.length()).toString();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
