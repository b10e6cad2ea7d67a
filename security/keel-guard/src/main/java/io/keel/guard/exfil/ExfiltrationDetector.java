package io.keel.guard.exfil;

import io.keel.core.guard.Direction;
import io.keel.core.guard.Finding;
import io.keel.guard.Detector;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Leak checks on model output.
 *
 * <ul>
 *   <li>{@code EXFIL_IMAGE}: a markdown or HTML image whose URL is on a host not in the allowlist. Rendering it makes
 *       the client fetch the URL, carrying whatever an injected instruction put in it: a known exfiltration channel.</li>
 *   <li>{@code EXFIL_LINK}: a markdown link to a host not in the allowlist (weaker: needs a click).</li>
 *   <li>{@code CANARY_LEAK}: a canary token planted in the system prompt appears in the answer, so the prompt leaked.</li>
 * </ul>
 * Runs on output only. Thread-safe.
 */
public final class ExfiltrationDetector implements Detector {
    public static final String IMAGE = "EXFIL_IMAGE";
    public static final String LINK = "EXFIL_LINK";
    public static final String CANARY = "CANARY_LEAK";
    private static final Pattern MD_IMAGE = Pattern.compile("!\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern MD_REF_IMAGE = Pattern.compile("!\\[[^\\]]*]\\[([^\\]]+)]");
    private static final Pattern MD_REF_DEF = Pattern.compile("(?m)^\\s*\\[([^\\]]+)]:\\s*<?(\\S+?)>?(?:\\s|$)");
    private static final Pattern HTML_IMAGE = Pattern.compile("(?i)<img\\b[^>]*?\\bsrc\\s*=\\s*[\"']?([^\"'\\s>]+)");
    private static final Pattern MD_LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(\\s*<?(https?://[^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostAllowlist allowlist;
    private final List<String> canaries;

    public ExfiltrationDetector(HostAllowlist allowlist, List<String> canaries) {
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
        this.canaries = canaries.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
    }

    /** A fresh canary token to plant in a system prompt, e.g. {@code keel-canary-3f9a0c…}. */
    public static String newCanary() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "keel-canary-" + HexFormat.of().formatHex(b);
    }

    @Override
    public String name() {
        return "exfiltration";
    }

    @Override
    public List<Finding> detect(String text, Direction direction) {
        if (direction != Direction.OUTPUT) return List.of();
        List<Finding> out = new ArrayList<>();
        images(text, MD_IMAGE, out);
        images(text, HTML_IMAGE, out);
        Matcher ref = MD_REF_IMAGE.matcher(text);
        while (ref.find()) {
            Matcher def = MD_REF_DEF.matcher(text);
            while (def.find()) {
                if (def.group(1).equalsIgnoreCase(ref.group(1)) && isRemote(def.group(2)) && !allowlist.allows(def.group(2))) {
                    out.add(new Finding(IMAGE, ref.start(), ref.end(), 0.95, name()));
                    out.add(new Finding(IMAGE, def.start(2), def.end(2), 0.95, name()));
                }
            }
        }
        Matcher link = MD_LINK.matcher(text);
        while (link.find()) {
            if (!allowlist.allows(link.group(1))) out.add(new Finding(LINK, link.start(), link.end(), 0.6, name()));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String canary : canaries) {
            for (int i = lower.indexOf(canary); i >= 0; i = lower.indexOf(canary, i + 1)) {
                out.add(new Finding(CANARY, i, i + canary.length(), 1.0, name()));
            }
        }
        return out;
    }

    private void images(String text, Pattern p, List<Finding> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            String url = m.group(1);
            if (isRemote(url) && !allowlist.allows(url)) out.add(new Finding(IMAGE, m.start(), m.end(), 0.95, name()));
        }
    }

    private static boolean isRemote(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        return u.startsWith("http://") || u.startsWith("https://") || u.startsWith("//");
    }
}
