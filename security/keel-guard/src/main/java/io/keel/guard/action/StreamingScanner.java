package io.keel.guard.action;

import io.keel.core.guard.Finding;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Applies a policy to a streamed answer, chunk by chunk, without letting a value split across chunks slip through.
 *
 * <p>The scanner holds back the last {@code window} characters of what it has seen (more if a finding or a PEM block
 * reaches into them) and releases only text that can no longer be part of an unfinished value. Any value shorter
 * than the window is therefore seen whole before a character of it is emitted. Not thread-safe: one instance per
 * stream, fed from one thread.
 */
public final class StreamingScanner {
    /** Default hold-back, longer than any built-in entity except PEM blocks (handled separately) and long JWTs. */
    public static final int DEFAULT_WINDOW = 256;
    /** A PEM block longer than this is released redacted without waiting for its end line. */
    static final int MAX_PEM_HOLD = 16_384;
    /** Released text kept for context scoring; covers the five words before a value that context rules look at. */
    static final int CONTEXT_CHARS = 80;

    /**
     * What a chunk released.
     *
     * @param text    text safe to send on; may be empty
     * @param blocked true once a finding whose action is {@link Action#BLOCK} was seen: stop the stream
     * @param finding the finding that blocked, or null
     */
    public record Emission(String text, boolean blocked, Finding finding) {
    }

    private final Function<String, List<Finding>> detector;
    private final Function<Finding, Action> actionFor;
    private final PseudonymSession session;
    private final int window;
    private final StringBuilder pending = new StringBuilder();
    /** The last characters already released, scanned again for context words ("my phone is") but never re-emitted. */
    private String context = "";
    private boolean blocked;

    public StreamingScanner(Function<String, List<Finding>> detector, Function<Finding, Action> actionFor,
                            PseudonymSession session, int window) {
        this.detector = Objects.requireNonNull(detector, "detector");
        this.actionFor = Objects.requireNonNull(actionFor, "actionFor");
        this.session = session;
        if (window < 16) throw new IllegalArgumentException("window must be >= 16");
        this.window = window;
    }

    /** Feeds one chunk; returns what may be emitted now. */
    public Emission accept(String chunk) {
        if (blocked) return new Emission("", true, null);
        pending.append(chunk);
        return release(false);
    }

    /** Ends the stream; returns everything still held, rewritten. */
    public Emission finish() {
        if (blocked) return new Emission("", true, null);
        return release(true);
    }

    private Emission release(boolean all) {
        String buf = pending.toString();
        int offset = context.length();
        List<Finding> findings = detector.apply(context + buf).stream()
                .filter(f -> f.start() >= offset)
                .map(f -> new Finding(f.type(), f.start() - offset, f.end() - offset, f.score(), f.detector()))
                .toList();
        for (Finding f : findings) {
            if (actionFor.apply(f) == Action.BLOCK) {
                blocked = true;
                pending.setLength(0);
                return new Emission("", true, f);
            }
        }
        int cut = all ? buf.length() : Math.max(0, buf.length() - window);
        if (!all) {
            for (Finding f : findings) if (f.start() < cut && f.end() > cut) cut = f.start();
            int pem = buf.lastIndexOf("-----BEGIN ");
            if (pem >= 0 && pem < cut && buf.indexOf("-----END ", pem) < 0 && buf.length() - pem < MAX_PEM_HOLD) cut = pem;
            int word = cut;   // do not split a word, unless it is implausibly long (text without spaces)
            while (word > 0 && cut - word < 64 && !Character.isWhitespace(buf.charAt(word - 1))) word--;
            if (word == 0 || Character.isWhitespace(buf.charAt(word - 1))) cut = word;
        }
        if (cut == 0) return new Emission("", false, null);
        final int boundary = cut;
        List<Finding> inside = findings.stream().filter(f -> f.end() <= boundary).toList();
        String out = Anonymizer.apply(buf.substring(0, boundary), inside, actionFor, session);
        String released = context + buf.substring(0, boundary);
        context = released.substring(Math.max(0, released.length() - CONTEXT_CHARS));
        pending.delete(0, boundary);
        return new Emission(out, false, null);
    }
}
